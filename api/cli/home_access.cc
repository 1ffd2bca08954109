// home_access.cc: home lookup for the subcommands.
#include "api/cli/home_access.h"

namespace folio::api::cli {

model::Result<index::Home> existing_home(const Args& args) {
  index::Home home(index::default_home_path(args.get("home")));
  if (!home.exists()) {
    return model::Err(model::Code::kNotFound, "no archive at " + home.root().string() +
                                                  " (run `folio init --home " +
                                                  home.root().string() + "` first)");
  }
  return home;
}

model::Result<index::Config> load_home_config(const index::Home& home) {
  return index::load_config(home.config_file());
}

}  // namespace folio::api::cli
