// delivery.h: pipe delivery of one message into the spool, with sysexits codes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "index/config.h"
#include "ingest/spool.h"

namespace folio::ingest {

// sysexits.h codes that `folio deliver` returns.
inline constexpr int kExOk = 0;
inline constexpr int kExUsage = 64;     // bad arguments
inline constexpr int kExDataErr = 65;   // empty, not a message, over the size limit
inline constexpr int kExTempFail = 75;  // the MTA should retry: disk, I/O, config, unknown list

struct DeliveryResult {
  int exit_code = kExOk;
  std::string reason;  // one line for stderr (also on success: where it went)
};

// Checks and enqueues `raw` (stdin as read, at most max_message_bytes + 1
// bytes). `list` is --list, or empty to route by the List-Id header against
// config. A leading mbox "From " envelope line is dropped.
DeliveryResult deliver_message(std::string raw, const std::string& list, const index::Config& config,
                               const Spool& spool, std::int64_t now_us);

// The unfolded value of the first header `name` (case-insensitive) in the
// header block of `raw`, or "" when absent.
std::string header_value(std::string_view raw, std::string_view name);

// True when `raw` starts like a message: a header field "Name: value".
bool looks_like_message(std::string_view raw);

}  // namespace folio::ingest
