// stats.cc: `folio stats`: messages, threads, per-list counts, sizes.
#include <iostream>

#include <boost/json.hpp>

#include "api/cli/command_line.h"
#include "api/cli/commands.h"
#include "api/cli/home_access.h"
#include "index/archive_stats.h"

namespace folio::api::cli {

int cmd_stats(const std::vector<std::string>& words) {
  auto args = parse_args(words, {{"home"}, {"json"}});
  if (!args.ok()) return report(args.error());
  auto home = existing_home(args.value());
  if (!home.ok()) return report(home.error());
  auto stats = index::archive_stats(home.value());
  if (!stats.ok()) return report(stats.error());
  const auto& s = stats.value();
  if (args->has("json")) {
    boost::json::object lists;
    for (const auto& [name, n] : s.per_list) lists[name] = n;
    boost::json::object out{{"messages", s.messages},       {"threads", s.threads},
                            {"lists", lists},               {"store_bytes", s.store_bytes},
                            {"index_bytes", s.index_bytes}, {"generation", s.generation},
                            {"indexed_seq", s.indexed_seq}};
    std::cout << boost::json::serialize(out) << "\n";
    return kExitOk;
  }
  std::cout << "messages:    " << s.messages << "\n"
            << "threads:     " << s.threads << "\n"
            << "store:       " << s.store_bytes / 1024 << " KiB\n"
            << "index:       " << s.index_bytes / 1024 << " KiB (generation " << s.generation << ")\n";
  for (const auto& [name, n] : s.per_list) std::cout << "  " << name << ": " << n << "\n";
  return kExitOk;
}

}  // namespace folio::api::cli
