// remove.cc: `folio remove`: take a message down (spam, legal, privacy), with a tombstone and an audit line.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <thread>

#include "api/cli/command_line.h"
#include "api/cli/commands.h"
#include "api/cli/home_access.h"
#include "api/cli/writer_setup.h"
#include "api/json.h"
#include "ingest/spool.h"

namespace folio::api::cli {

namespace {

using model::Code;
using model::Err;

constexpr int kWaitSeconds = 60;

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Appends one line to HOME/audit.log and fsyncs it.
model::Status audit(const index::Home& home, const std::string& line) {
  auto path = home.root() / "audit.log";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) return Err(Code::kIOError, "cannot open " + path.string());
  std::string text = iso_date(std::time(nullptr)) + " " + line + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Err(Code::kIOError, "cannot write " + path.string());
  return {};
}

// With no writer running: remove directly. Returns the number removed, or kBusy.
model::Result<std::size_t> remove_directly(const index::Home& home, const index::Config& config,
                                           const std::string& id, const std::string& reason) {
  auto open = open_writer(home, config, "folio remove");
  FOLIO_TRY(open);
  auto n = open->writer->remove(id, reason);
  FOLIO_TRY(n);
  FOLIO_TRY(open->writer->commit());
  return n.value();
}

// With indexd running: queue the takedown for it and wait until it is committed.
model::Status remove_through_indexd(const index::Home& home, const std::string& id, const std::string& reason) {
  ingest::Spool spool(home.spool_dir());
  auto entry = spool.request_removal(id, reason, now_us());
  FOLIO_TRY(entry);
  for (int i = 0; i < kWaitSeconds * 10; ++i) {
    if (!std::filesystem::exists(spool.new_dir() / entry->name)) return {};
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return Err(Code::kBusy, "indexd has not taken the request in " + std::to_string(kWaitSeconds) +
                              " s; it stays queued in " + (spool.new_dir() / entry->name).string());
}

}  // namespace

int cmd_remove(const std::vector<std::string>& words) {
  auto args = parse_args(words, {{"home", "reason"}, {}});
  if (!args.ok()) return report(args.error());
  if (args->positional.size() != 1 || args->get("reason").empty()) {
    return report(Err(Code::kInvalidArgument, "usage: folio remove MESSAGE-ID --reason TEXT"));
  }
  std::string id = args->positional[0];
  if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
  const std::string reason = args->get("reason");
  auto home = existing_home(args.value());
  if (!home.ok()) return report(home.error());
  auto config = load_home_config(home.value());
  if (!config.ok()) return report(config.error());
  auto lock = index::HomeLock::acquire(home.value(), "maintenance", "folio remove");
  if (!lock.ok()) return report(lock.error());
  auto direct = remove_directly(home.value(), config.value(), id, reason);
  std::string how;
  if (direct.ok()) {
    how = "removed=" + std::to_string(direct.value());
  } else if (direct.error().code == Code::kBusy) {
    if (auto s = remove_through_indexd(home.value(), id, reason); !s.ok()) return report(s.error());
    how = "removed-by=indexd";
  } else {
    return report(direct.error());
  }
  if (auto s = audit(home.value(), "remove <" + id + "> " + how + " pid=" + std::to_string(::getpid()) +
                                       " reason=" + reason);
      !s.ok()) {
    return report(s.error());
  }
  std::printf("remove: <%s> taken down (%s); a tombstone keeps it from coming back\n", id.c_str(), how.c_str());
  return kExitOk;
}

}  // namespace folio::api::cli
