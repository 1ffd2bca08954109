// text_normalizer.h: the one text normalisation, applied alike to indexed text and query terms.
#pragma once

#include <string>
#include <string_view>

namespace folio::index {

// Returns `utf8` with NFKC compatibility folding, Unicode case folding and
// accents removed ("Ｃafé" -> "cafe"). Pure ASCII input is only lower-cased,
// without a trip through ICU. Invalid UTF-8 sequences become U+FFFD.
// Thread-safe.
std::string normalize_text(std::string_view utf8);

// True when every byte is < 0x80.
bool is_ascii(std::string_view s);

}  // namespace folio::index
