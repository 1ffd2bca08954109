// mime_parser.h: raw message bytes -> model::ParsedMessage (a bounded RFC 2045/2046 walk).
#pragma once

#include <string_view>

#include "index/model/limits.h"
#include "index/model/message.h"
#include "index/model/result.h"

namespace folio::ingest {

struct ParseOptions {
  model::ParseLimits limits;
  // Mailman 2 pipermail archives write addresses as "user at host"; when set,
  // From/To/Cc addresses are restored to "user@host".
  bool pipermail_addresses = false;
};

// Parses one message. Never fails on malformed mail: whatever can be
// salvaged is returned and ParsedMessage::problems lists the defects.
// Returns Code::kTooLarge only when raw.size() > options.limits.max_message_bytes.
// Thread-safe: may be called from many threads at once.
model::Result<model::ParsedMessage> parse_message(std::string_view raw,
                                                  const ParseOptions& options);

}  // namespace folio::ingest
