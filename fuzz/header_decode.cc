// header_decode.cc: libFuzzer harness for the header functions (RFC 2047/2231, addresses, ids, dates).
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_util.h"
#include "ingest/header_decode.h"

using folio::fuzz::check;
using folio::fuzz::valid_utf8;
namespace in = folio::ingest;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Fields separated by NUL; each function gets its own field, and the
  // whole input is given to every function too.
  auto whole = folio::fuzz::as_view(data, size);
  auto f = folio::fuzz::split_fields(whole, 6);
  auto field = [&](std::size_t i) { return i < f.size() ? f[i] : whole; };

  check(valid_utf8(in::decode_words(field(0))), "decode_words yields valid UTF-8");
  (void)in::unfold(field(0));
  (void)in::decode_base64(field(0));
  (void)in::decode_quoted_printable(field(0), in::QpFlavor::kBody);
  (void)in::decode_quoted_printable(field(0), in::QpFlavor::kHeader);

  auto mime = in::parse_mime_field(field(1));
  for (const auto& p : mime.params) {
    if (p.extended) check(valid_utf8(p.value), "RFC 2231 parameter value is valid UTF-8");
  }
  (void)mime.param("boundary");
  (void)mime.param("filename");

  for (bool pipermail : {false, true}) {
    for (const auto& a : in::parse_address_list(field(2), {.pipermail = pipermail})) {
      check(valid_utf8(a.name), "address name is valid UTF-8");
    }
  }
  for (const auto& id : in::parse_message_ids(field(3))) check(!id.empty(), "message ids are not empty");
  (void)in::parse_message_id(field(3));
  (void)in::parse_date(field(4));
  if (f.size() == 1) {
    (void)in::parse_mime_field(whole);
    (void)in::parse_address_list(whole);
    (void)in::parse_message_ids(whole);
    (void)in::parse_date(whole);
  }
  return 0;
}
