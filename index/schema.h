// schema.h: the one table of index fields: query name, term prefix, kind. No other file spells a prefix.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace folio::index {

enum class FieldKind {
  kText,     // free text, tokenised and stemmed (from:, subject:, ...)
  kBoolean,  // an exact term, used as a filter (list:, id:, thread:, has:)
  kRange,    // a value-slot range (date:)
};

// One searchable field.
struct Field {
  std::string_view name;    // the name users type before ':'
  std::string_view prefix;  // the Xapian term prefix ("" for the body)
  FieldKind kind;
  std::string_view help;    // one line for the README and `folio help search`
};

// Term prefixes, in one place.
namespace prefix {
inline constexpr std::string_view kBody = "";
inline constexpr std::string_view kFrom = "A";
inline constexpr std::string_view kTo = "XTO";
inline constexpr std::string_view kCc = "XCC";
inline constexpr std::string_view kSubject = "S";
inline constexpr std::string_view kList = "L";
inline constexpr std::string_view kMessageId = "Q";
inline constexpr std::string_view kThread = "G";
inline constexpr std::string_view kHas = "K";
inline constexpr std::string_view kAttachment = "XF";
inline constexpr std::string_view kFlag = "XZ";  // internal flags, not user-searchable
inline constexpr std::string_view kDatePeriod = "XD";  // year, month and day of the date (date: filters)
}  // namespace prefix

// Value slots.
namespace slot {
inline constexpr unsigned kDate = 0;    // sortable_serialise(effective epoch seconds)
inline constexpr unsigned kYear = 1;    // "YYYY" of the effective date (facets)
inline constexpr unsigned kThread = 2;  // thread id (collapse)
inline constexpr unsigned kLists = 3;   // list names joined by '\n' (facets)
inline constexpr unsigned kHitMeta = 4; // kThread, kDate and kLists in one (encode_hit_meta)
}  // namespace slot

// Values of the has: field and of internal flags.
inline constexpr std::string_view kHasAttachment = "attachment";
inline constexpr std::string_view kFlagTermBadDate = "baddate";

inline constexpr std::array<Field, 12> kFields{{
    {"from", prefix::kFrom, FieldKind::kText, "sender name or address"},
    {"to", prefix::kTo, FieldKind::kText, "recipient name or address"},
    {"cc", prefix::kCc, FieldKind::kText, "carbon-copy name or address"},
    {"subject", prefix::kSubject, FieldKind::kText, "words in the subject"},
    {"s", prefix::kSubject, FieldKind::kText, "short for subject:"},
    {"attachment", prefix::kAttachment, FieldKind::kText, "words in an attachment's file name"},
    {"list", prefix::kList, FieldKind::kBoolean, "the list's short name, exactly"},
    {"id", prefix::kMessageId, FieldKind::kBoolean, "the Message-ID, without <>"},
    {"thread", prefix::kThread, FieldKind::kBoolean, "a thread id from a search result"},
    {"has", prefix::kHas, FieldKind::kBoolean, "has:attachment"},
    {"date", "", FieldKind::kRange, "date:2015-03-01..2015-06-30, date:2015..2016, open ends"},
    {"body", prefix::kBody, FieldKind::kText, "(implicit) words in the text"},
}};

// The field called `name`, or nullptr.
const Field* find_field(std::string_view name);

}  // namespace folio::index

namespace folio::index {

// Term for a Message-ID. Ids too long for a Xapian term (about 245 bytes)
// are stood in for by a hash, the same way for indexing and for id: queries.
std::string message_id_term(std::string_view message_id);
// Generation metadata: "1" when every document of the generation carries
// the date period terms below (generations created since they exist), so
// date: filters may use them instead of the value slot.
inline constexpr const char* kDateTermsKey = "folio.date_terms";
// The term of one UTC period: XD2015 (month 0: the year), XD201503 (day 0:
// the month), XD20150301 (the day). `year` must be 0..9999.
std::string date_period_term(int year, unsigned month = 0, unsigned day = 0);
// The year, month and day terms of `epoch` (UTC); none outside years 0..9999.
std::vector<std::string> date_period_terms(std::int64_t epoch);
// Term for a list name.
std::string list_term(std::string_view list);
// The public, opaque form of a thread id (16 hex digits), and its term.
std::string thread_label(std::uint64_t thread);
std::string thread_term(std::uint64_t thread);
// Parses thread_label's output; false when `label` is not one.
bool parse_thread_label(std::string_view label, std::uint64_t& thread);

// What a search hit shows of a document besides its data: the thread, the
// effective date and the lists. The kThread, kDate and kLists slots hold the
// same for the matcher (collapse, sort, facets); slot::kHitMeta holds all
// three in one value, so that a page of hits reads one value per hit instead
// of three (each a lookup in a value stream of its own).
struct HitMeta {
  std::string thread;  // thread_label
  std::int64_t date = 0;
  std::string lists;  // list names joined by '\n'
};
// "<thread label><decimal date>\n<lists>".
std::string encode_hit_meta(const HitMeta& meta);
// False when `value` is not encode_hit_meta's output (a document indexed
// before the slot existed has none: read the three slots instead).
bool decode_hit_meta(std::string_view value, HitMeta& meta);

}  // namespace folio::index
