// charset.cc: charset conversion to UTF-8 with ICU (ucnv) and the fallback policy in charset.h.
#include "ingest/charset.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace folio::ingest {
namespace {

// windows-1252 0x80-0x9F; the five undefined bytes map to the C1 control of
// the same value, as ICU and the WHATWG encoding standard do.
constexpr std::array<char16_t, 32> kCp1252High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string decode_cp1252(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 4);
  for (unsigned char c : bytes) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0xA0) {
      append_utf8(out, kCp1252High[c - 0x80]);
    } else {
      append_utf8(out, c);
    }
  }
  return out;
}

// Length of the well-formed UTF-8 sequence at p (n bytes available), or 0.
std::size_t utf8_sequence_length(const unsigned char* p, std::size_t n) {
  unsigned char c = p[0];
  if (c < 0x80) return 1;
  auto cont = [&](std::size_t i) { return i < n && (p[i] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (n < 2) return 0;
    unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
    unsigned char hi = c == 0xED ? 0x9F : 0xBF;
    if (p[1] < lo || p[1] > hi) return 0;
    return cont(2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (n < 2) return 0;
    unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
    unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
    if (p[1] < lo || p[1] > hi) return 0;
    return cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

// How a normalised label is handled (see the policy in charset.h).
enum class Family { kAsciiOrGuess, kUtf8, kLatin1, kIcu };

std::string normalise_label(std::string_view label) {
  auto is_trim = [](char c) { return c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '\r' || c == '\n'; };
  while (!label.empty() && is_trim(label.front())) label.remove_prefix(1);
  while (!label.empty() && is_trim(label.back())) label.remove_suffix(1);
  std::string out(label.substr(0, 64));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool one_of(std::string_view s, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), s) != names.end();
}

Family classify(std::string_view label) {
  if (one_of(label, {"", "us-ascii", "ascii", "us", "ansi_x3.4-1968", "ansi-x3.4-1968", "ansi_x3.4-1986", "iso646-us",
                     "iso-ir-6", "cp367", "ibm367", "csascii", "unknown", "unknown-8bit", "x-unknown",
                     "x-user-defined", "default", "none", "8bit", "7bit"})) {
    return Family::kAsciiOrGuess;
  }
  if (one_of(label, {"utf-8", "utf8", "utf_8", "x-utf8", "x-utf-8", "unicode-1-1-utf-8"})) {
    return Family::kUtf8;
  }
  if (one_of(label, {"iso-8859-1", "iso8859-1", "iso_8859-1", "iso_8859-1:1987", "latin1", "latin-1",
                     "l1", "iso-ir-100", "cp819", "ibm819", "csisolatin1", "windows-1252", "cp1252",
                     "x-cp1252", "cp-1252", "win-1252"})) {
    return Family::kLatin1;
  }
  return Family::kIcu;
}

// ICU's name for a label, after our own aliasing; empty when the label
// cannot be a charset name (so ICU is never asked about it).
std::string icu_name(const std::string& label) {
  if (one_of(label, {"gb2312", "gbk", "x-gbk", "euc-cn", "cp936", "csgb2312", "gb_2312-80"})) {
    return "gb18030";
  }
  for (char c : label) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.' || c == ':' || c == '+';
    if (!ok) return {};
  }
  return label;
}

// Set by the substitution callback; one per thread like the converters.
thread_local bool tl_replaced = false;

// Writes U+FFFD for each undecodable sequence. ICU's default substitutes
// the charset's own SUB character (0x1A for many), which would leak a
// control character into the text.
void substitute_fffd(const void* /*context*/, UConverterToUnicodeArgs* args,
                     const char* /*units*/, int32_t /*length*/,
                     UConverterCallbackReason reason, UErrorCode* err) {
  if (reason != UCNV_UNASSIGNED && reason != UCNV_ILLEGAL && reason != UCNV_IRREGULAR) return;
  *err = U_ZERO_ERROR;
  static const UChar kReplacement = 0xFFFD;
  ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, err);
  tl_replaced = true;
}

// A small per-thread cache of opened converters (nullptr: ICU does not know
// the name). Bounded: when full it is emptied.
class ConverterCache {
 public:
  ~ConverterCache() { clear(); }

  // Returns the converter for `name`, or nullptr when ICU cannot open it.
  UConverter* get(const std::string& name) {
    for (auto& [n, cnv] : entries_) {
      if (n == name) return cnv;
    }
    if (entries_.size() >= kMaxEntries) clear();
    entries_.emplace_back(name, open(name));
    return entries_.back().second;
  }

 private:
  static constexpr std::size_t kMaxEntries = 32;

  static UConverter* open(const std::string& name) {
    UErrorCode err = U_ZERO_ERROR;
    UConverter* cnv = ucnv_open(name.c_str(), &err);
    if (U_FAILURE(err) || cnv == nullptr) return nullptr;
    ucnv_setToUCallBack(cnv, substitute_fffd, nullptr, nullptr, nullptr, &err);
    return cnv;
  }

  void clear() {
    for (auto& entry : entries_) {
      if (entry.second != nullptr) ucnv_close(entry.second);
    }
    entries_.clear();
  }

  std::vector<std::pair<std::string, UConverter*>> entries_;
};

thread_local ConverterCache tl_converters;

// Converts with ICU; returns false when the conversion itself failed.
bool icu_convert(UConverter* cnv, std::string_view bytes, Utf8Text& out) {
  tl_replaced = false;
  std::vector<UChar> utf16(bytes.size() * 2 + 16);
  UErrorCode err = U_ZERO_ERROR;
  int32_t n = ucnv_toUChars(cnv, utf16.data(), static_cast<int32_t>(utf16.size()), bytes.data(),
                            static_cast<int32_t>(bytes.size()), &err);
  if (err == U_BUFFER_OVERFLOW_ERROR) {
    utf16.resize(static_cast<std::size_t>(n) + 1);
    err = U_ZERO_ERROR;
    n = ucnv_toUChars(cnv, utf16.data(), static_cast<int32_t>(utf16.size()), bytes.data(),
                      static_cast<int32_t>(bytes.size()), &err);
  }
  if (U_FAILURE(err)) return false;
  out.text.resize(static_cast<std::size_t>(n) * 3 + 1);
  int32_t written = 0;
  err = U_ZERO_ERROR;
  u_strToUTF8WithSub(out.text.data(), static_cast<int32_t>(out.text.size()), &written,
                     utf16.data(), n, 0xFFFD, nullptr, &err);
  if (U_FAILURE(err)) return false;
  out.text.resize(static_cast<std::size_t>(written));
  out.replaced_invalid = tl_replaced;
  return true;
}

// Stateful 7-bit encodings, where ASCII-only input still needs decoding.
bool is_seven_bit_stateful(std::string_view label) {
  return label.starts_with("iso-2022") || label.starts_with("utf-7") || label.starts_with("hz") ||
         label.starts_with("utf-16") || label.starts_with("utf-32") || label.starts_with("ucs") ||
         label.starts_with("unicode") || label.starts_with("csiso2022");
}

Utf8Text guess(std::string_view bytes) {
  Utf8Text out;
  out.text = is_valid_utf8(bytes) ? std::string(bytes) : decode_cp1252(bytes);
  return out;
}

}  // namespace

bool is_ascii(std::string_view bytes) {
  return std::none_of(bytes.begin(), bytes.end(), [](char c) { return (c & 0x80) != 0; });
}

bool is_valid_utf8(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size();
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {  // skip ASCII eight bytes at a time
      std::uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = utf8_sequence_length(p + i, n - i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

std::string sanitize_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size();
  std::size_t i = 0;
  while (i < n) {
    std::size_t len = utf8_sequence_length(p + i, n - i);
    if (len > 0) {
      out.append(bytes.data() + i, len);
      i += len;
      continue;
    }
    out += "\xEF\xBF\xBD";
    // Skip the rest of a broken sequence: its continuation bytes.
    ++i;
    while (i < n && (p[i] & 0xC0) == 0x80) ++i;
  }
  return out;
}

std::size_t utf8_cut(std::string_view text, std::size_t max_bytes) {
  if (max_bytes >= text.size()) return text.size();
  std::size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return n;
}

Utf8Text decode_charset(std::string_view bytes, std::string_view charset) {
  std::string label = normalise_label(charset);
  Family family = classify(label);
  if (family == Family::kAsciiOrGuess) return guess(bytes);
  if (family == Family::kUtf8) {
    Utf8Text out;
    if (is_valid_utf8(bytes)) {
      out.text = std::string(bytes);
    } else {
      out.text = sanitize_utf8(bytes);
      out.replaced_invalid = true;
    }
    return out;
  }
  if (is_ascii(bytes) && !is_seven_bit_stateful(label)) {
    Utf8Text out;
    out.text = std::string(bytes);
    return out;
  }
  if (family == Family::kLatin1) {
    Utf8Text out;
    out.text = decode_cp1252(bytes);
    return out;
  }
  std::string name = icu_name(label);
  UConverter* cnv = name.empty() ? nullptr : tl_converters.get(name);
  Utf8Text out;
  if (cnv != nullptr && icu_convert(cnv, bytes, out)) return out;
  out = guess(bytes);
  out.unknown_charset = true;
  return out;
}

std::string to_utf8(std::string_view bytes, std::string_view charset) {
  return decode_charset(bytes, charset).text;
}

}  // namespace folio::ingest
