// codec.cc: varint and length-prefixed encoding.
#include "index/internal/codec.h"

namespace folio::index::internal {

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_bytes(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

void put_be64(std::string& out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((v >> (i * 8)) & 0xff));
}

std::string be64(std::uint64_t v) {
  std::string s;
  put_be64(s, v);
  return s;
}

std::uint64_t get_be64(std::string_view s) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(s[i]);
  return v;
}

std::uint64_t Reader::varint() {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in_.empty()) {
      failed_ = true;
      return 0;
    }
    auto b = static_cast<unsigned char>(in_.front());
    in_.remove_prefix(1);
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
  failed_ = true;
  return 0;
}

std::string_view Reader::bytes() {
  std::uint64_t n = varint();
  if (failed_ || n > in_.size()) {
    failed_ = true;
    return {};
  }
  std::string_view s = in_.substr(0, n);
  in_.remove_prefix(n);
  return s;
}

std::string_view Reader::fixed(std::size_t n) {
  if (failed_ || n > in_.size()) {
    failed_ = true;
    return {};
  }
  std::string_view s = in_.substr(0, n);
  in_.remove_prefix(n);
  return s;
}

}  // namespace folio::index::internal
