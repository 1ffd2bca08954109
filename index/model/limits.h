// limits.h: the bounds on work done for one message, settable in the config.
#pragma once

#include <cstddef>

namespace folio::model {

// Parse limits. A message over max_message_bytes is refused; the others cut
// parsing short (ParsedMessage::truncated) but the message is still kept.
struct ParseLimits {
  std::size_t max_message_bytes = 64u << 20;  // whole raw message
  std::size_t max_mime_depth = 32;            // nesting of multipart / message parts
  std::size_t max_parts = 1000;               // MIME parts visited
  std::size_t max_headers = 1000;             // header fields read per entity
  std::size_t max_text_bytes = 4u << 20;      // extracted text kept for indexing
  std::size_t max_references = 128;           // References ids kept (first + last ones)
};

}  // namespace folio::model
