// mbox_split.cc: libFuzzer harness for ingest::MboxReader over ByteSource::from_memory.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_util.h"
#include "ingest/byte_source.h"
#include "ingest/mbox_reader.h"

using folio::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the rule and a read size, so that lines and
  // separators straddle reads; the rest is the mbox (possibly gzip or xz:
  // from_memory sniffs the magic number like a file).
  std::uint8_t mode = data[0];
  folio::ingest::MboxOptions options;
  options.rule = (mode & 1) ? folio::ingest::FromLineRule::kDatedFromLine
                            : folio::ingest::FromLineRule::kAnyFromLine;
  static constexpr std::size_t kReadSizes[] = {1, 2, 3, 7, 64, 4096, 1 << 16};
  options.read_size = kReadSizes[(mode >> 1) % std::size(kReadSizes)];
  options.max_message_bytes = (mode & 0x80) ? 256 : std::size_t{1} << 24;
  // Reads of a few bytes cost a call each: they get the first 2 KiB, enough
  // for separators to straddle reads, so executions stay fast.
  std::size_t len = size - 1;
  if (options.read_size < 64 && len > 2048) len = 2048;
  std::string bytes(folio::fuzz::as_view(data + 1, len));
  auto source = folio::ingest::ByteSource::from_memory(std::move(bytes), "fuzz");
  folio::ingest::MboxReader reader(*source, options);
  std::uint64_t count = 0;
  std::size_t total = 0;
  for (;;) {
    auto next = reader.next();
    if (!next.ok()) break;
    if (!next->has_value()) break;
    ++count;
    total += (*next)->size();
    check(reader.message_number() == count, "message numbers count up from 1");
    check((*next)->size() <= options.max_message_bytes, "message bounded by max_message_bytes");
    check(count <= len + 1, "no more messages than input bytes");
  }
  // Decompressed output can exceed the input; uncompressed cannot.
  if (source->compression() == folio::ingest::Compression::kNone) {
    check(total <= len, "messages hold no more bytes than the input");
  }
  (void)folio::ingest::ends_in_mbox_date(folio::fuzz::as_view(data, size));
  return 0;
}
