// init_home.cc: `folio init`: the directories, a default config and generation 1.
#include "index/init_home.h"

#include "index/config.h"
#include "index/generation.h"

namespace folio::index {

using model::Code;
using model::Err;
using model::Status;

Status init_home(const Home& home) {
  std::error_code ec;
  for (const auto& dir : {home.root(), home.store_dir(), home.index_dir(), home.lock_dir()}) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return Err(Code::kIOError, "cannot create " + dir.string() + ": " + ec.message());
  }
  if (!home.exists()) FOLIO_TRY(save_config(home.config_file(), Config{}));
  if (home.current_generation().ok()) return {};
  auto config = load_config(home.config_file());
  FOLIO_TRY(config);
  FOLIO_TRY(create_generation(home.generation_dir(1), config->index.shards));
  return home.set_current_generation(1);
}

}  // namespace folio::index
