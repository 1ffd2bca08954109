// mime_parse.cc: libFuzzer harness for ingest::parse_message on arbitrary bytes, with small limits.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_util.h"
#include "ingest/mime_parser.h"

using folio::fuzz::check;
using folio::fuzz::valid_utf8;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  folio::ingest::ParseOptions options;
  // Small limits, so that the limit paths are reached by small inputs.
  options.limits.max_message_bytes = 1 << 20;
  options.limits.max_mime_depth = 8;
  options.limits.max_parts = 64;
  options.limits.max_headers = 64;
  options.limits.max_text_bytes = 64 << 10;
  options.limits.max_references = 16;
  options.pipermail_addresses = size > 0 && (data[0] & 1);
  auto raw = folio::fuzz::as_view(data, size);
  auto parsed = folio::ingest::parse_message(raw, options);
  check(parsed.ok(), "parse_message fails only on kTooLarge");
  const auto& m = *parsed;
  check(valid_utf8(m.subject), "subject is valid UTF-8");
  check(valid_utf8(m.body), "body is valid UTF-8");
  check(valid_utf8(m.from.name), "from name is valid UTF-8");
  check(m.body.size() <= options.limits.max_text_bytes + 4096, "body bounded by max_text_bytes");
  check(m.references.size() <= options.limits.max_references, "references bounded");
  for (const auto& a : m.attachments) check(valid_utf8(a.filename), "attachment name is valid UTF-8");
  return 0;
}
