// status.cc: `folio status`: spool depth and age, last commit, messages indexed, quarantine.
#include <ctime>
#include <iostream>

#include <boost/json.hpp>

#include "api/cli/command_line.h"
#include "api/cli/commands.h"
#include "api/cli/home_access.h"
#include "api/json.h"
#include "index/archive_stats.h"
#include "ingest/spool.h"

namespace folio::api::cli {

int cmd_status(const std::vector<std::string>& words) {
  auto args = parse_args(words, {{"home"}, {"json"}});
  if (!args.ok()) return report(args.error());
  auto home = existing_home(args.value());
  if (!home.ok()) return report(home.error());
  ingest::Spool spool(home->spool_dir());
  if (auto s = spool.ensure_dirs(); !s.ok()) return report(s.error());
  auto spooled = spool.stats();
  if (!spooled.ok()) return report(spooled.error());
  auto index = index::archive_stats(home.value());
  if (!index.ok()) return report(index.error());
  std::int64_t now = std::time(nullptr);
  double oldest_age = spooled->oldest_arrival_us ? static_cast<double>(now) - static_cast<double>(spooled->oldest_arrival_us) / 1e6 : 0;
  if (oldest_age < 0) oldest_age = 0;
  if (args->has("json")) {
    boost::json::object out{{"spool_depth", spooled->depth},
                            {"spool_oldest_age_s", oldest_age},
                            {"quarantined", spooled->quarantined},
                            {"messages_indexed", index->messages},
                            {"last_commit", iso_date(index->committed_at)},
                            {"revision", index->revision},
                            {"generation", index->generation},
                            {"indexed_seq", index->indexed_seq}};
    std::cout << boost::json::serialize(out) << "\n";
    return kExitOk;
  }
  std::cout << "spool:        " << spooled->depth << " waiting, oldest " << oldest_age << " s\n"
            << "quarantined:  " << spooled->quarantined << "\n"
            << "indexed:      " << index->messages << " messages\n"
            << "last commit:  " << (index->committed_at ? iso_date(index->committed_at) : "never")
            << " (revision " << index->revision << ", generation " << index->generation << ")\n";
  return kExitOk;
}

}  // namespace folio::api::cli
