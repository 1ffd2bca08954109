// codec.h: a tiny binary encoding (varints, length-prefixed strings, big-endian keys).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace folio::index::internal {

// Appends v as a LEB128 varint.
void put_varint(std::string& out, std::uint64_t v);
// Appends a varint length then the bytes.
void put_bytes(std::string& out, std::string_view s);
// Appends v as 8 big-endian bytes (keys sort in numeric order).
void put_be64(std::string& out, std::uint64_t v);
std::string be64(std::uint64_t v);
// Reads 8 big-endian bytes. REQUIRES: s.size() >= 8.
std::uint64_t get_be64(std::string_view s);

// Reads values back from a buffer; any overrun sets failed() and yields zeros.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  std::uint64_t varint();
  std::int64_t svarint() { return static_cast<std::int64_t>(varint()); }
  std::string_view bytes();
  // Exactly n raw bytes.
  std::string_view fixed(std::size_t n);
  bool failed() const { return failed_; }
  bool at_end() const { return in_.empty(); }

 private:
  std::string_view in_;
  bool failed_ = false;
};

}  // namespace folio::index::internal
