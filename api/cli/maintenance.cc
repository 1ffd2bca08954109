// maintenance.cc: `folio reindex`, `compact`, `check`, `backup`, `restore`: cron jobs beside the service.
#include <cstdio>
#include <ctime>
#include <thread>
#include <iostream>

#include "api/cli/command_line.h"
#include "api/cli/commands.h"
#include "api/cli/home_access.h"
#include "api/cli/progress.h"
#include "api/cli/writer_setup.h"
#include "index/backup.h"
#include "index/check.h"
#include "index/reindex.h"
#include "ingest/mime_parser.h"

namespace folio::api::cli {

namespace {

using model::Code;
using model::Err;

// The maintenance lock: two maintenance jobs never run at once.
model::Result<std::unique_ptr<index::HomeLock>> maintenance_lock(const index::Home& home,
                                                                 const std::string& role) {
  return index::HomeLock::acquire(home, "maintenance", role);
}

// "2015-03-01" -> epoch seconds (UTC midnight); kInvalidArgument otherwise.
model::Result<std::int64_t> parse_day(const std::string& text) {
  std::tm tm{};
  if (text.size() != 10 || !strptime(text.c_str(), "%Y-%m-%d", &tm)) {
    return Err(Code::kInvalidArgument, "--since must be a date like 2015-03-01, not '" + text + "'");
  }
  return static_cast<std::int64_t>(timegm(&tm));
}

model::Result<index::ReindexOptions> reindex_options(const Args& args, const index::Config& config) {
  index::ReindexOptions o;
  o.parse = [](std::string_view raw, bool pipermail, const model::ParseLimits& limits) {
    ingest::ParseOptions po;
    po.limits = limits;
    po.pipermail_addresses = pipermail;
    return ingest::parse_message(raw, po);
  };
  o.limits = config.limits;
  o.document.quoted = quoted_text_mode(config.index);
  o.threads = config.index.threads ? config.index.threads : std::max(1u, std::thread::hardware_concurrency());
  o.commit_every = config.index.batch_messages;
  o.shards = config.index.shards;
  o.list = args.get("list");
  if (!o.list.empty() && !config.find_list(o.list)) return Err(Code::kInvalidArgument, "no list named '" + o.list + "'");
  if (args.values.count("since")) {
    auto since = parse_day(args.get("since"));
    FOLIO_TRY(since);
    o.since = since.value();
  }
  o.compact = args.has("compact");
  auto grace = parse_count("grace", args.get("grace", "30"));
  FOLIO_TRY(grace);
  o.grace_seconds = static_cast<std::int64_t>(grace.value());
  return o;
}

int run_reindex(const std::vector<std::string>& words, bool copy_only) {
  auto args = parse_args(words, {{"home", "list", "since", "grace"}, {"compact"}});
  if (!args.ok()) return report(args.error());
  auto home = existing_home(args.value());
  if (!home.ok()) return report(home.error());
  auto config = load_home_config(home.value());
  if (!config.ok()) return report(config.error());
  auto lock = maintenance_lock(home.value(), copy_only ? "folio compact" : "folio reindex");
  if (!lock.ok()) return report(lock.error());
  auto options = reindex_options(args.value(), config.value());
  if (!options.ok()) return report(options.error());
  options->copy_only = copy_only;
  Progress progress(copy_only ? "compact" : "reindex");
  options->progress = [&](std::uint64_t done, std::uint64_t total) { progress.update(done, done, total); };
  auto summary = index::reindex(home.value(), options.value());
  progress.finish();
  if (!summary.ok()) return report(summary.error());
  double secs = progress.elapsed_seconds();
  std::printf("%s: generation %llu is live: %llu messages re-indexed, %llu changes caught up, %llu documents, %.1f s, %.0f msg/s\n",
              copy_only ? "compact" : "reindex", static_cast<unsigned long long>(summary->generation),
              static_cast<unsigned long long>(summary->reindexed), static_cast<unsigned long long>(summary->caught_up),
              static_cast<unsigned long long>(summary->documents), secs,
              secs > 0 ? static_cast<double>(summary->reindexed) / secs : 0.0);
  return kExitOk;
}

// True when some process holds the writer lock (indexd or import).
bool writer_running(const index::Home& home) {
  auto probe = index::HomeLock::acquire(home, "writer", "folio check (probe)");
  return !probe.ok();
}

int repair(const index::Home& home, const index::Config& config, const index::CheckReport& report_) {
  auto open = open_writer(home, config, "folio check --repair");
  if (!open.ok()) return report(open.error());
  std::vector<index::DocId> todo = report_.to_rebuild;
  todo.insert(todo.end(), report_.orphans.begin(), report_.orphans.end());
  if (auto s = open->writer->rebuild_documents(todo); !s.ok()) return report(s.error());
  if (auto s = open->writer->commit(); !s.ok()) return report(s.error());
  std::printf("check: repaired %zu documents and replayed %llu changes\n", todo.size(),
              static_cast<unsigned long long>(open->repaired));
  return kExitOk;
}

}  // namespace

int cmd_reindex(const std::vector<std::string>& words) { return run_reindex(words, false); }
int cmd_compact(const std::vector<std::string>& words) { return run_reindex(words, true); }

int cmd_check(const std::vector<std::string>& words) {
  auto args = parse_args(words, {{"home"}, {"repair"}});
  if (!args.ok()) return report(args.error());
  auto home = existing_home(args.value());
  if (!home.ok()) return report(home.error());
  auto config = load_home_config(home.value());
  if (!config.ok()) return report(config.error());
  auto lock = maintenance_lock(home.value(), "folio check");
  if (!lock.ok()) return report(lock.error());
  bool running = writer_running(home.value());
  if (args->has("repair") && running) {
    return report(Err(Code::kBusy, "check --repair needs the writer: stop indexd first (or run folio reindex, which works beside it)"));
  }
  auto r = index::check_archive(home.value(), running);
  if (!r.ok()) return report(r.error());
  for (const auto& p : r->problems) std::printf("problem: %s\n", p.c_str());
  std::printf("check: %llu stored, %llu indexed, store at %llu, index at %llu, %llu problems\n",
              static_cast<unsigned long long>(r->stored), static_cast<unsigned long long>(r->indexed),
              static_cast<unsigned long long>(r->store_seq), static_cast<unsigned long long>(r->indexed_seq),
              static_cast<unsigned long long>(r->problem_count));
  if (r->problem_count == 0) return kExitOk;
  if (args->has("repair")) return repair(home.value(), config.value(), r.value());
  return kExitFailure;
}

int cmd_backup(const std::vector<std::string>& words) {
  auto args = parse_args(words, {{"home"}, {}});
  if (!args.ok()) return report(args.error());
  if (args->positional.size() != 1) return report(Err(Code::kInvalidArgument, "usage: folio backup DIR"));
  auto home = existing_home(args.value());
  if (!home.ok()) return report(home.error());
  auto lock = maintenance_lock(home.value(), "folio backup");
  if (!lock.ok()) return report(lock.error());
  auto summary = index::backup_archive(home.value(), args->positional[0]);
  if (!summary.ok()) return report(summary.error());
  std::printf("backup: %s holds the index at store sequence %llu and the store at %llu\n",
              args->positional[0].c_str(), static_cast<unsigned long long>(summary->index_seq),
              static_cast<unsigned long long>(summary->store_seq));
  return kExitOk;
}

int cmd_restore(const std::vector<std::string>& words) {
  auto args = parse_args(words, {{"home"}, {}});
  if (!args.ok()) return report(args.error());
  if (args->positional.size() != 1) return report(Err(Code::kInvalidArgument, "usage: folio restore DIR"));
  index::Home home(index::default_home_path(args->get("home")));
  auto summary = index::restore_archive(args->positional[0], home);
  if (!summary.ok()) return report(summary.error());
  auto config = load_home_config(home);
  if (!config.ok()) return report(config.error());
  auto open = open_writer(home, config.value(), "folio restore");  // replays what the index lacks
  if (!open.ok()) return report(open.error());
  std::printf("restore: archive restored into %s (%llu changes replayed into the index)\n",
              home.root().c_str(), static_cast<unsigned long long>(open->repaired));
  return kExitOk;
}

}  // namespace folio::api::cli
