// init.cc: `folio init`: create an archive home.
#include <iostream>

#include "api/cli/command_line.h"
#include "api/cli/commands.h"
#include "index/init_home.h"

namespace folio::api::cli {

int cmd_init(const std::vector<std::string>& words) {
  auto args = parse_args(words, {{"home"}, {}});
  if (!args.ok()) return report(args.error());
  if (!args->positional.empty()) {
    return report(model::Err(model::Code::kInvalidArgument, "init takes no arguments besides --home"));
  }
  index::Home home(index::default_home_path(args->get("home")));
  if (auto s = index::init_home(home); !s.ok()) return report(s.error());
  std::cout << "archive ready at " << home.root().string() << " (config: "
            << home.config_file().string() << ")\n";
  return kExitOk;
}

}  // namespace folio::api::cli
