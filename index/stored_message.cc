// stored_message.cc: encoding of StoredMeta.
#include "index/stored_message.h"

#include <algorithm>

#include "index/internal/codec.h"

namespace folio::index {

namespace {
constexpr std::uint64_t kMetaVersion = 1;
}

std::string encode_meta(const StoredMeta& m) {
  using namespace internal;
  std::string out;
  put_varint(out, kMetaVersion);
  put_bytes(out, m.message_id);
  put_varint(out, m.lists.size());
  for (const auto& l : m.lists) put_bytes(out, l);
  put_varint(out, m.thread);
  put_varint(out, static_cast<std::uint64_t>(m.date));
  put_varint(out, static_cast<std::uint64_t>(m.arrival));
  put_varint(out, m.flags);
  out.append(reinterpret_cast<const char*>(m.content_key.data()), m.content_key.size());
  put_varint(out, m.raw_size);
  put_varint(out, m.parents.size());
  for (const auto& p : m.parents) put_bytes(out, p);
  return out;
}

model::Result<StoredMeta> decode_meta(DocId docid, std::string_view bytes) {
  internal::Reader r(bytes);
  StoredMeta m;
  m.docid = docid;
  if (r.varint() != kMetaVersion) {
    return model::Err(model::Code::kCorruption, "message " + std::to_string(docid) + ": unknown metadata version");
  }
  m.message_id = std::string(r.bytes());
  for (std::uint64_t n = r.varint(); n > 0 && !r.failed(); --n) m.lists.emplace_back(r.bytes());
  m.thread = r.varint();
  m.date = r.svarint();
  m.arrival = r.svarint();
  m.flags = static_cast<std::uint32_t>(r.varint());
  std::string_view key = r.fixed(m.content_key.size());
  if (!r.failed()) std::copy(key.begin(), key.end(), m.content_key.begin());
  m.raw_size = r.varint();
  for (std::uint64_t n = r.varint(); n > 0 && !r.failed(); --n) m.parents.emplace_back(r.bytes());
  if (r.failed()) {
    return model::Err(model::Code::kCorruption,
                      "message " + std::to_string(docid) + ": truncated metadata");
  }
  return m;
}

std::string hex(const Hash128& h) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (auto b : h) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

}  // namespace folio::index
