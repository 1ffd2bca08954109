// deliver.cc: `folio deliver`: read one message on stdin and spool it (sysexits codes).
#include <unistd.h>

#include <chrono>
#include <iostream>

#include "api/cli/command_line.h"
#include "api/cli/commands.h"
#include "index/config.h"
#include "index/home.h"
#include "ingest/delivery.h"

namespace folio::api::cli {

namespace {

// Reads stdin, at most `cap` bytes; the caller treats cap as "too large".
bool read_stdin(std::string& out, std::size_t cap) {
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > cap) return true;
  }
}

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int finish(const ingest::DeliveryResult& r) {
  if (r.exit_code != ingest::kExOk) std::cerr << "folio deliver: " << r.reason << "\n";
  return r.exit_code;
}

}  // namespace

int cmd_deliver(const std::vector<std::string>& words) {
  auto args = parse_args(words, {{"home", "list"}, {}});
  if (!args.ok() || !args->positional.empty()) {
    std::cerr << "folio deliver: " << (args.ok() ? "takes no arguments" : args.error().message)
              << " (usage: folio deliver [--home DIR] [--list NAME] < message)\n";
    return ingest::kExUsage;
  }
  index::Home home(index::default_home_path(args->get("home")));
  auto config = index::load_config(home.config_file());
  if (!config.ok()) return finish({ingest::kExTempFail, "cannot read the config: " + config.error().message});
  std::string raw;
  if (!read_stdin(raw, config->limits.max_message_bytes + 1)) {
    return finish({ingest::kExTempFail, "cannot read standard input"});
  }
  ingest::Spool spool(home.spool_dir());
  return finish(ingest::deliver_message(std::move(raw), args->get("list"), config.value(), spool, now_us()));
}

}  // namespace folio::api::cli
