// import.cc: `folio import`: bulk import of mbox, pipermail, maildir and single files.
#include <cstdio>
#include <iostream>

#include "api/cli/command_line.h"
#include "api/cli/commands.h"
#include "api/cli/home_access.h"
#include "api/cli/progress.h"
#include "api/cli/writer_setup.h"
#include "ingest/source.h"

namespace folio::api::cli {

namespace {

using model::Code;
using model::Err;

struct ImportJob {
  std::string list;
  ingest::Format format = ingest::Format::kAuto;
  std::vector<std::string> paths;
};

model::Result<ImportJob> parse_job(const Args& args, const index::Config& config) {
  ImportJob job;
  job.list = args.get("list");
  if (job.list.empty()) return Err(Code::kInvalidArgument, "import needs --list NAME");
  if (!config.find_list(job.list)) {
    return Err(Code::kInvalidArgument, "no list named '" + job.list + "' in the config (add it with `folio lists add " + job.list + "`)");
  }
  auto format = ingest::parse_format(args.get("format", "auto"));
  FOLIO_TRY(format);
  job.format = format.value();
  job.paths = args.positional;
  if (job.paths.empty()) return Err(Code::kInvalidArgument, "import needs at least one PATH");
  return job;
}

void print_summary(const index::IngestSummary& s, double secs) {
  double rate = secs > 0 ? static_cast<double>(s.seen) / secs : 0;
  std::printf(
      "import: %llu new, %llu duplicates, %llu cross-posts added, %llu unparseable (stored anyway), "
      "%llu refused, %llu id variants, %llu taken down earlier, %.1f s, %.0f msg/s\n",
      static_cast<unsigned long long>(s.new_messages), static_cast<unsigned long long>(s.duplicates),
      static_cast<unsigned long long>(s.cross_posts), static_cast<unsigned long long>(s.malformed),
      static_cast<unsigned long long>(s.refused), static_cast<unsigned long long>(s.variants),
      static_cast<unsigned long long>(s.tombstoned), secs,
      rate);
  for (const auto& r : s.refusals) std::fprintf(stderr, "folio: refused %s\n", r.c_str());
}

model::Status feed(index::Indexer& indexer, const ImportJob& job, Progress& progress) {
  std::uint64_t total = 0;
  for (const auto& p : job.paths) total += ingest::input_size(p);
  std::uint64_t done_before = 0;
  for (const auto& path : job.paths) {
    model::Status failure;
    std::uint64_t last_done = 0;
    auto status = ingest::read_messages(path, job.format, [&](ingest::RawMessage&& raw) {
      index::Incoming in;
      in.raw = std::move(raw.bytes);
      in.list = job.list;
      in.origin = std::move(raw.origin);
      in.pipermail = raw.format == ingest::Format::kPipermail;
      last_done = raw.input_done;
      if (auto s = indexer.add(std::move(in)); !s.ok()) {
        failure = s;
        return false;
      }
      progress.update(indexer.written(), done_before + last_done, total);
      return true;
    });
    FOLIO_TRY(failure);
    FOLIO_TRY(status);
    done_before += ingest::input_size(path);
  }
  return {};
}

}  // namespace

int cmd_import(const std::vector<std::string>& words) {
  auto args = parse_args(words, {{"home", "list", "format"}, {}});
  if (!args.ok()) return report(args.error());
  auto home = existing_home(args.value());
  if (!home.ok()) return report(home.error());
  auto config = load_home_config(home.value());
  if (!config.ok()) return report(config.error());
  auto job = parse_job(args.value(), config.value());
  if (!job.ok()) return report(job.error());
  auto open = open_writer(home.value(), config.value(), "folio import", WriterUse::kBulk);
  if (!open.ok()) return report(open.error());
  if (open->repaired) std::fprintf(stderr, "folio: re-indexed %llu messages left over by an interrupted run\n", static_cast<unsigned long long>(open->repaired));
  auto indexer = index::Indexer::start(*open->writer, indexer_options(config.value()));
  if (!indexer.ok()) return report(indexer.error());
  Progress progress("import " + job->list);
  auto fed = feed(*indexer.value(), job.value(), progress);
  auto summary = indexer.value()->finish();
  progress.finish();
  // Whatever was committed is synced, also after a feed error.
  auto synced = open->writer->sync_index();
  if (!fed.ok()) return report(fed.error());
  if (!summary.ok()) return report(summary.error());
  if (!synced.ok()) return report(synced.error());
  print_summary(summary.value(), progress.elapsed_seconds());
  return kExitOk;
}

}  // namespace folio::api::cli
