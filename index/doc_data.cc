// doc_data.cc: DocData encoding (varints + zstd).
#include "index/doc_data.h"

#include <zstd.h>

#include "index/internal/codec.h"

namespace folio::index {

using internal::put_bytes;
using internal::put_varint;

namespace {

constexpr std::uint64_t kVersion = 1;

void put_address(std::string& out, const model::Address& a) {
  put_bytes(out, a.name);
  put_bytes(out, a.addr);
}

model::Address get_address(internal::Reader& r) {
  model::Address a;
  a.name = std::string(r.bytes());
  a.addr = std::string(r.bytes());
  return a;
}

void put_addresses(std::string& out, const std::vector<model::Address>& v) {
  put_varint(out, v.size());
  for (const auto& a : v) put_address(out, a);
}

std::vector<model::Address> get_addresses(internal::Reader& r) {
  std::vector<model::Address> v;
  for (std::uint64_t n = r.varint(); n > 0 && !r.failed(); --n) v.push_back(get_address(r));
  return v;
}

void put_strings(std::string& out, const std::vector<std::string>& v) {
  put_varint(out, v.size());
  for (const auto& s : v) put_bytes(out, s);
}

std::vector<std::string> get_strings(internal::Reader& r) {
  std::vector<std::string> v;
  for (std::uint64_t n = r.varint(); n > 0 && !r.failed(); --n) v.emplace_back(r.bytes());
  return v;
}

// One compression and one decompression context per thread, kept for the
// thread's life: ZSTD_compress and ZSTD_decompress set up (and allocate) a
// context on every call, which cost more than the work on the small texts
// of list mail (a tenth of a search page's time, bench/http).
struct ZstdContexts {
  ZSTD_CCtx* compress = ZSTD_createCCtx();
  ZSTD_DCtx* decompress = ZSTD_createDCtx();
  ZstdContexts() = default;
  ZstdContexts(const ZstdContexts&) = delete;
  ZstdContexts& operator=(const ZstdContexts&) = delete;
  ~ZstdContexts() {
    ZSTD_freeCCtx(compress);
    ZSTD_freeDCtx(decompress);
  }
};

ZstdContexts& zstd_contexts() {
  thread_local ZstdContexts contexts;
  return contexts;
}

std::string_view utf8_prefix(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}

}  // namespace

std::string encode_doc_data(const DocData& d) {
  std::string plain;
  put_varint(plain, kVersion);
  put_bytes(plain, d.message_id);
  put_bytes(plain, d.subject);
  put_address(plain, d.from);
  put_addresses(plain, d.to);
  put_addresses(plain, d.cc);
  put_varint(plain, static_cast<std::uint64_t>(d.date));
  put_varint(plain, d.date_present ? 1 : 0);
  put_bytes(plain, d.in_reply_to);
  put_strings(plain, d.references);
  put_strings(plain, d.attachments);
  put_bytes(plain, utf8_prefix(d.body, kMaxStoredBody));
  std::string out(ZSTD_compressBound(plain.size()) + 8, '\0');
  std::string size_prefix;
  put_varint(size_prefix, plain.size());
  ZSTD_CCtx* cctx = zstd_contexts().compress;
  std::size_t n = cctx ? ZSTD_compressCCtx(cctx, out.data(), out.size(), plain.data(), plain.size(), 1)
                       : ZSTD_compress(out.data(), out.size(), plain.data(), plain.size(), 1);
  if (ZSTD_isError(n)) return size_prefix + "";  // cannot happen with a bound-sized buffer
  out.resize(n);
  return size_prefix + out;
}

model::Result<DocData> decode_doc_data(std::string_view bytes) {
  internal::Reader header(bytes);
  std::uint64_t plain_size = header.varint();
  std::size_t header_len = 0;
  for (; header_len < bytes.size() && (static_cast<unsigned char>(bytes[header_len]) & 0x80); ++header_len) {
  }
  ++header_len;
  if (header.failed() || plain_size > (64u << 20) || header_len > bytes.size()) {
    return model::Err(model::Code::kCorruption, "document data: bad header");
  }
  std::string plain(plain_size, '\0');
  ZSTD_DCtx* dctx = zstd_contexts().decompress;
  const char* in = bytes.data() + header_len;
  std::size_t in_size = bytes.size() - header_len;
  std::size_t n = dctx ? ZSTD_decompressDCtx(dctx, plain.data(), plain.size(), in, in_size)
                       : ZSTD_decompress(plain.data(), plain.size(), in, in_size);
  if (ZSTD_isError(n) || n != plain_size) {
    return model::Err(model::Code::kCorruption, "document data: cannot decompress");
  }
  internal::Reader r(plain);
  DocData d;
  if (r.varint() != kVersion) return model::Err(model::Code::kCorruption, "document data: version");
  d.message_id = std::string(r.bytes());
  d.subject = std::string(r.bytes());
  d.from = get_address(r);
  d.to = get_addresses(r);
  d.cc = get_addresses(r);
  d.date = r.svarint();
  d.date_present = r.varint() != 0;
  d.in_reply_to = std::string(r.bytes());
  d.references = get_strings(r);
  d.attachments = get_strings(r);
  d.body = std::string(r.bytes());
  if (r.failed()) return model::Err(model::Code::kCorruption, "document data: truncated");
  return d;
}

}  // namespace folio::index
