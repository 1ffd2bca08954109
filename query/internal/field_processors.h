// field_processors.h: Xapian range and field processors for date:, list:, id:, thread: and has:.
#pragma once

#ifndef XAPIAN_MOVE_SEMANTICS
#define XAPIAN_MOVE_SEMANTICS
#endif
#include <xapian.h>

#include <optional>
#include <string>

#include "query/access_scope.h"
#include "query/internal/date_range.h"

namespace folio::query::internal {

// State shared by the processors of one Xapian::QueryParser and its owner,
// which sets it up around each parse_query() call. Processors never throw:
// Xapian 1.4 leaks the parser's stack when a FieldProcessor throws, so a
// bad value is recorded here and matches nothing, and the owner turns the
// recorded problem into kInvalidArgument after parsing.
struct ProcessorContext {
  const AccessScope* scope = nullptr;  // the reader's, or none
  std::string problem;                 // the first bad value seen, "" if none
  // The index carries date period terms (index::kDateTermsKey): date:
  // filters may be unions of year, month and day terms.
  bool date_terms = false;

  // Records `message` (the first one wins) and returns MatchNothing.
  Xapian::Query fail(std::string message);
};

// The filter for `bounds` on a value slot holding sortable_serialise(epoch).
Xapian::Query date_query(Xapian::valueno slot, const DateBounds& bounds);

// The most period terms one date: filter is spelt with; a range that needs
// more (centuries, open ends) is filtered on the value slot instead.
inline constexpr std::size_t kMaxDateTerms = 64;

// The same filter as date_query() as a union of the index's date period
// terms: whole years, then whole months, then days. Only for closed bounds
// on whole UTC days within years 0..9999 spelt with at most kMaxDateTerms
// terms; nullopt otherwise. Matches exactly the documents date_query()
// matches, and is faster: a posting list instead of a value per candidate.
std::optional<Xapian::Query> date_terms_query(const DateBounds& bounds);

// Whether `db` says it carries date period terms (index::kDateTermsKey);
// false when it cannot tell. Never throws.
bool index_has_date_terms(const Xapian::Database& db);

// field:begin..end with dates (see date_range.h): date:2015..2016,
// date:2015-03..2015-04, date:2015-03-01..2015-06-30, date:2015.., date:..2016.
class DateRangeProcessor : public Xapian::RangeProcessor {
 public:
  // `field` is the name users type ("date"); `slot` holds the dates.
  DateRangeProcessor(const std::string& field, Xapian::valueno slot, ProcessorContext* context);
  Xapian::Query operator()(const std::string& begin, const std::string& end) override;

 private:
  ProcessorContext* context_;
};

// field:value with one date (date:2015, date:2015-03, date:2015-03-01): the
// whole period.
class DatePeriodProcessor : public Xapian::FieldProcessor {
 public:
  DatePeriodProcessor(Xapian::valueno slot, ProcessorContext* context)
      : slot_(slot), context_(context) {}
  Xapian::Query operator()(const std::string& value) override;

 private:
  Xapian::valueno slot_;
  ProcessorContext* context_;
};

// list:<name> -> the list term, except that while the context holds a
// reader's scope, a list outside it matches nothing, exactly like a list
// that does not exist: neither list:hidden nor -list:hidden tells anything
// about a hidden list.
class ListProcessor : public Xapian::FieldProcessor {
 public:
  ListProcessor(std::string prefix, ProcessorContext* context)
      : prefix_(std::move(prefix)), context_(context) {}
  Xapian::Query operator()(const std::string& value) override;

 private:
  std::string prefix_;
  ProcessorContext* context_;
};

// id:<Message-ID> -> the term index::message_id_term makes, so ids too long
// for a term hash the same way as at indexing. Surrounding <> are dropped.
class MessageIdProcessor : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& value) override;
};

// thread:<label> -> index::thread_term; a value that is not a thread label
// (16 hex digits, either case) is a problem.
class ThreadProcessor : public Xapian::FieldProcessor {
 public:
  explicit ThreadProcessor(ProcessorContext* context) : context_(context) {}
  Xapian::Query operator()(const std::string& value) override;

 private:
  ProcessorContext* context_;
};

// has:<flag> -> the term with `prefix`; only the values in the schema
// (has:attachment) are accepted.
class HasProcessor : public Xapian::FieldProcessor {
 public:
  HasProcessor(std::string prefix, ProcessorContext* context)
      : prefix_(std::move(prefix)), context_(context) {}
  Xapian::Query operator()(const std::string& value) override;

 private:
  std::string prefix_;
  ProcessorContext* context_;
};

}  // namespace folio::query::internal
