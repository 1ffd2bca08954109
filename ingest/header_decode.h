// header_decode.h: header field values -> decoded UTF-8, addresses, message ids and dates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "index/model/message.h"

namespace folio::ingest {

// Everything here is lenient: mail in the wild breaks every rule, so these
// functions never fail; they return what could be salvaged (possibly empty).
// All returned text is valid UTF-8 (see charset.h for how undeclared 8-bit
// bytes are read). All functions are pure and thread-safe. Inputs are raw
// field values as they appear after "Name:", possibly folded (CRLF or LF
// followed by white space).

// Unfolds a field value: each line break together with the white space
// around it becomes one space; the result is trimmed. Bytes are unchanged
// otherwise (no decoding).
std::string unfold(std::string_view value);

// Decodes an unstructured value (Subject, display names, file names) to
// UTF-8: unfolds it, decodes RFC 2047 encoded words (B and Q, any charset)
// and reads the remaining bytes with the undeclared-charset rule.
// White space between two adjacent encoded words is dropped and their bytes
// are joined before charset conversion, so a character split across two
// words survives. Also accepted, as seen in real mail: encoded words with no
// space around them, inside quoted strings or inside a word, unknown
// charsets (undeclared rule), malformed base64 (invalid characters skipped)
// and Q text with spaces. A word that does not parse is kept literally.
std::string decode_words(std::string_view value);

// Decodes base64, skipping characters outside the alphabet and white space,
// and stopping at the first '='. An incomplete final group is decoded as far
// as it goes.
std::string decode_base64(std::string_view in);

// Which quoted-printable: bodies (RFC 2045: "=\n" is a soft line break) or
// RFC 2047 Q words ('_' is a space).
enum class QpFlavor { kBody, kHeader };

// Decodes quoted-printable. "=XY" with hex digits (either case) becomes the
// byte; any other '=' is kept as is. Line breaks are kept as written.
std::string decode_quoted_printable(std::string_view in, QpFlavor flavor);

// One parameter of a MIME structured field.
struct MimeParam {
  std::string name;   // lower-case
  // For plain parameters the value exactly as written (quotes and backslash
  // escapes removed, no charset decoding: boundaries must stay byte-exact).
  // For RFC 2231 parameters (name*=, name*0*=...) the continuations are
  // joined, %XX decoded, and the result converted to UTF-8 from the
  // declared charset.
  std::string value;
  bool extended = false;  // it came from RFC 2231 syntax
};

// A parsed Content-Type or Content-Disposition value.
struct MimeField {
  std::string value;             // lower-case, comments and space removed ("text/plain")
  // In order of first appearance; at most one plain and one RFC 2231 entry
  // per name (the first of each wins).
  std::vector<MimeParam> params;

  // The parameter `name` (lower-case), or nullptr. RFC 2231 forms take
  // precedence over a plain parameter of the same name.
  const MimeParam* param(std::string_view name) const;
};

// Parses "value; name=token; name="quoted"; name*0*=cs'lang'%41; ...".
// Tolerates missing or unbalanced quotes, stray semicolons, space around '='
// and parameters folded onto continuation lines.
MimeField parse_mime_field(std::string_view value);

struct AddressOptions {
  // Mailman 2 (pipermail) archives write "user at host.org"; restore it as
  // "user@host.org" (outside quoted strings and comments).
  bool pipermail = false;
};

// Parses an address-list (From, To, Cc, ...). Each mailbox becomes an
// Address with the display name decoded (quoted strings unquoted, RFC 2047
// decoded; when there is no phrase, a trailing comment "(Name)" is used as
// the name) and the addr-spec without comments or space, domain lower-cased.
// Group syntax "Name: a, b;" yields the group's members; an empty group
// yields nothing. A bare word without '@' (e.g. "root") is kept as an
// addr-spec; an entry that has neither an address nor a name is dropped.
std::vector<model::Address> parse_address_list(std::string_view value,
                                               const AddressOptions& options = {});

// Extracts message ids in order from Message-ID, In-Reply-To or References
// values, without <>. Handles: ids folded over lines or with white space
// inside the brackets (white space is removed), garbage or comments around
// them, a missing closing '>' (the id ends at white space before the next
// '<' or at the end), and bare ids without brackets (a word containing '@').
// Empty ids ("<>") are skipped.
std::vector<std::string> parse_message_ids(std::string_view value);

// The first id of parse_message_ids(value), or "" when there is none.
std::string parse_message_id(std::string_view value);

// Parses a Date value to seconds since the epoch (UTC). Accepts RFC 5322
// dates and the obsolete and broken forms found in archives: optional day
// name, folding and comments anywhere, missing seconds, 2-digit years
// (00-49 -> 20xx, 50-99 -> 19xx) and 3-digit years (+1900), numeric zones
// with or without a colon ("+0530", "+05:30", "GMT+2"), named zones (UT,
// GMT, Z, the US zones and common European/Asian abbreviations; military
// and unknown names count as +0000), asctime order ("Fri May 22 13:38:22
// 2015"), ISO 8601 ("2015-05-22T13:38:22Z"), "2000/07/11" and AM/PM.
// Returns nullopt for anything without a valid day, month and year, or with
// an out-of-range field.
std::optional<std::int64_t> parse_date(std::string_view value);

}  // namespace folio::ingest
