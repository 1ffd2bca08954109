// doc_data.h: what an index document carries for result pages and message views.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "index/model/message.h"
#include "index/model/result.h"

namespace folio::index {

// The content part of a document's data. Lists, thread and the effective date
// live in value slots (schema.h) because they change without the content.
struct DocData {
  std::string message_id;
  std::string subject;
  model::Address from;
  std::vector<model::Address> to;
  std::vector<model::Address> cc;
  std::int64_t date = 0;       // the Date header, 0 if none
  bool date_present = false;
  std::string in_reply_to;
  std::vector<std::string> references;
  std::vector<std::string> attachments;  // file names (or content types when unnamed)
  std::string body;            // extracted text, capped
};

// Serialises and zstd-compresses.
std::string encode_doc_data(const DocData& data);
// kCorruption when the bytes are not a DocData.
model::Result<DocData> decode_doc_data(std::string_view bytes);

// The body kept in a document is capped at this many bytes (cut on a UTF-8 boundary).
inline constexpr std::size_t kMaxStoredBody = 64 * 1024;

}  // namespace folio::index
