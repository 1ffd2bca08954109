// stored_message.h: what the store keeps about each message besides its raw bytes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "index/model/result.h"

namespace folio::index {

using DocId = std::uint32_t;     // also the Xapian document id; 0 is "none"
using ThreadId = std::uint64_t;  // a connected set of messages and referenced ids
using Hash128 = std::array<std::uint8_t, 16>;

// Flags on a stored message.
enum MessageFlag : std::uint32_t {
  kFlagBadDate = 1u << 0,      // the Date header is missing or implausible
  kFlagTruncated = 1u << 1,    // a parse limit cut parsing short
  kFlagMalformed = 1u << 2,    // parsing found defects
  kFlagSyntheticId = 1u << 3,  // the message had no Message-ID; one was derived
  kFlagPipermail = 1u << 4,    // came from a pipermail archive ("user at host" addresses)
};

// Per-message metadata. The raw bytes are kept beside it under the same DocId.
struct StoredMeta {
  DocId docid = 0;
  std::string message_id;          // normalised Message-ID (derived when missing)
  std::vector<std::string> lists;  // every list the message was seen on, sorted
  ThreadId thread = 0;
  std::int64_t date = 0;           // the Date header (seconds since the epoch), 0 if none
  std::int64_t arrival = 0;        // when folio first received it
  std::uint32_t flags = 0;
  Hash128 content_key{};           // identity of the content (see indexer)
  std::uint64_t raw_size = 0;
  // References and In-Reply-To, in order, parent last (for thread trees).
  std::vector<std::string> parents;

  // The date to sort and filter by: the Date header unless flagged bad.
  std::int64_t effective_date() const { return (flags & kFlagBadDate) ? arrival : date; }
};

std::string encode_meta(const StoredMeta& meta);
model::Result<StoredMeta> decode_meta(DocId docid, std::string_view bytes);

// Lower-case hex of a hash, for display and for thread ids.
std::string hex(const Hash128& h);

}  // namespace folio::index
