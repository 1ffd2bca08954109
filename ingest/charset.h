// charset.h: bytes in a declared charset -> valid UTF-8 (ICU), with an explicit fallback policy.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace folio::ingest {

// Fallback policy. Conversion never fails and its output is always valid
// UTF-8; what it does depends on the declared label (trimmed, unquoted,
// compared without case):
//
//   * empty, "us-ascii" and its aliases ("ascii", "ansi_x3.4-1968", ...),
//     and the placeholder labels mailers write when they do not know
//     ("unknown", "unknown-8bit", "x-unknown", "x-user-defined", "default"):
//     bytes that are valid UTF-8 are kept as they are, anything else is
//     decoded as windows-1252 (8-bit mail without a declaration is nearly
//     always UTF-8 or a Windows code page).
//   * "utf-8" and "utf8": valid UTF-8 is kept; each invalid sequence becomes
//     U+FFFD.
//   * "iso-8859-1" / "latin1" and their aliases: decoded as windows-1252 when
//     the text holds any byte 0x80-0x9F (C1 controls are never meant in mail;
//     they are Windows curly quotes and dashes), else as ISO-8859-1.
//   * "gb2312" and "gbk" are read as GB18030 (a strict superset), which is
//     what the senders' software actually produced.
//   * any other label ICU knows: converted by ICU; undecodable sequences
//     become U+FFFD.
//   * a label ICU does not know (a typo, "x-foo"): as for an empty label, and
//     Utf8Text::unknown_charset is set so the caller can report it.
//
// NUL bytes are kept (they are valid UTF-8); callers that index text strip them.
//
// Thread-safe. ICU converters are cached per thread (a small bounded cache),
// so the first conversion from a charset on a thread pays for opening it.
struct Utf8Text {
  std::string text;              // always valid UTF-8
  bool unknown_charset = false;  // the label was not recognised; fallback used
  bool replaced_invalid = false; // some input could not be decoded (U+FFFD written)
};

// Converts `bytes` declared as `charset` to UTF-8 following the policy above.
Utf8Text decode_charset(std::string_view bytes, std::string_view charset);

// decode_charset(bytes, charset).text.
std::string to_utf8(std::string_view bytes, std::string_view charset);

// True when `bytes` is well-formed UTF-8 (no overlongs, surrogates or code
// points above U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

// True when every byte is below 0x80.
bool is_ascii(std::string_view bytes);

// Returns `bytes` with each maximal invalid UTF-8 sequence replaced by U+FFFD.
std::string sanitize_utf8(std::string_view bytes);

// The largest n <= max_bytes such that text.substr(0, n) does not end inside
// a UTF-8 sequence. REQUIRES: text is valid UTF-8.
std::size_t utf8_cut(std::string_view text, std::size_t max_bytes);

}  // namespace folio::ingest
