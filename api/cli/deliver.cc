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

// The bytes a leading mbox From_ line takes (it is dropped before the size
// check), once the first line has been read; npos while unknown.
std::size_t envelope_allowance(const std::string& in) {
  auto nl = in.find('\n');
  if (nl == std::string::npos) return in.size() > 65536 ? 0 : std::string::npos;
  return in.rfind("From ", 0) == 0 ? nl + 1 : 0;
}

// Reads stdin until EOF or until it holds more than `max_message` bytes
// besides a leading From_ line (the caller then refuses it as too large).
bool read_stdin(std::string& out, std::size_t max_message) {
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    out.append(buf, static_cast<std::size_t>(n));
    std::size_t allowance = envelope_allowance(out);
    if (allowance != std::string::npos && out.size() > max_message + allowance) return true;
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
  if (!read_stdin(raw, config->limits.max_message_bytes)) {
    return finish({ingest::kExTempFail, "cannot read standard input"});
  }
  ingest::Spool spool(home.spool_dir());
  return finish(ingest::deliver_message(std::move(raw), args->get("list"), config.value(), spool, now_us()));
}

}  // namespace folio::api::cli
