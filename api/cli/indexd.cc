// indexd.cc: `folio indexd`: the single writer daemon draining the spool into store and index.
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <iostream>

#include "api/cli/command_line.h"
#include "api/cli/commands.h"
#include "api/cli/home_access.h"
#include "api/cli/writer_setup.h"
#include "ingest/spool_drainer.h"

namespace folio::api::cli {

namespace {

volatile std::sig_atomic_t g_stop = 0;
volatile std::sig_atomic_t g_reload = 0;

void on_signal(int sig) {
  if (sig == SIGHUP) {
    g_reload = 1;
  } else {
    g_stop = 1;
  }
}

void install_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: poll() wakes up
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
}

// Waits until new/ changes or `ms` pass. Works without inotify (fd < 0) too.
void wait_for_mail(int inotify_fd, int ms) {
  if (inotify_fd < 0) {
    ::usleep(static_cast<useconds_t>(ms) * 1000);
    return;
  }
  pollfd p{inotify_fd, POLLIN, 0};
  if (::poll(&p, 1, ms) > 0) {
    char buf[4096];
    while (::read(inotify_fd, buf, sizeof buf) > 0) {
    }
  }
}

int watch(const ingest::Spool& spool) {
  int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd >= 0 && ::inotify_add_watch(fd, spool.new_dir().c_str(), IN_MOVED_TO | IN_CREATE) < 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void reload(const index::Home& home, ingest::SpoolDrainer& drainer, index::ArchiveWriter& writer) {
  auto config = load_home_config(home);
  if (config.ok()) {
    drainer.set_config(config.value());
    writer.set_limits(config->limits);
    std::fprintf(stderr, "folio indexd: config reloaded\n");
  } else {
    std::fprintf(stderr, "folio indexd: config not reloaded: %s\n", config.error().message.c_str());
  }
}

struct DaemonOptions {
  bool once = false;
  std::uint64_t commit_ms = 200;
};

// The main loop; returns when stopped (or, with --once, when the spool is empty).
model::Status run(const index::Home& home, const index::Config& config, const DaemonOptions& opts) {
  ingest::Spool spool(home.spool_dir());
  FOLIO_TRY(spool.ensure_dirs());
  auto open = open_writer(home, config, "folio indexd");
  FOLIO_TRY(open);
  if (open->repaired) std::fprintf(stderr, "folio indexd: re-indexed %llu messages after a crash\n", static_cast<unsigned long long>(open->repaired));
  auto options = indexer_options(config);
  options.commit_interval_ms = opts.commit_ms;
  auto indexer = index::Indexer::start(*open->writer, options);
  FOLIO_TRY(indexer);
  ingest::SpoolDrainer drainer(spool, *indexer.value(), config);
  int fd = watch(spool);
  model::Status failure;
  while (!g_stop) {
    if (g_reload) {
      g_reload = 0;
      reload(home, drainer, *open->writer);
    }
    auto offered = drainer.pass(1000);
    if (!offered.ok()) {
      failure = offered.error();
      break;
    }
    if (opts.once && offered.value() == 0 && drainer.in_flight() == 0) break;
    if (offered.value() == 0) wait_for_mail(fd, opts.once ? 20 : 250);
  }
  if (fd >= 0) ::close(fd);
  auto summary = indexer.value()->finish();  // commits the current batch
  if (!summary.ok()) return summary.error();
  FOLIO_TRY(failure);
  auto s = drainer.stats();
  std::fprintf(stderr, "folio indexd: stopped; %llu messages committed, %llu quarantined\n",
               static_cast<unsigned long long>(s.committed), static_cast<unsigned long long>(s.quarantined));
  return {};
}

}  // namespace

int cmd_indexd(const std::vector<std::string>& words) {
  auto args = parse_args(words, {{"home", "commit-ms"}, {"once"}});
  if (!args.ok()) return report(args.error());
  auto home = existing_home(args.value());
  if (!home.ok()) return report(home.error());
  auto config = load_home_config(home.value());
  if (!config.ok()) return report(config.error());
  DaemonOptions opts;
  opts.once = args->has("once");
  auto ms = parse_count("commit-ms", args->get("commit-ms", "200"));
  if (!ms.ok()) return report(ms.error());
  opts.commit_ms = ms.value() == 0 ? 1 : ms.value();
  install_signals();
  auto status = run(home.value(), config.value(), opts);
  if (!status.ok()) return report(status.error());
  return kExitOk;
}

}  // namespace folio::api::cli
