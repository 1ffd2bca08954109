// field_processors.cc: date, list, Message-ID, thread and has: values as Xapian queries.
#include "query/internal/field_processors.h"

#include "index/schema.h"

namespace folio::query::internal {

namespace {

std::string serialised(std::int64_t epoch) {
  return Xapian::sortable_serialise(static_cast<double>(epoch));
}

Xapian::Query query_or_fail(Xapian::valueno slot, const model::Result<DateBounds>& bounds,
                            ProcessorContext* context) {
  if (!bounds.ok()) return context->fail(bounds.error().message);
  return date_query(slot, bounds.value());
}

}  // namespace

Xapian::Query ProcessorContext::fail(std::string message) {
  if (problem.empty()) problem = std::move(message);
  return Xapian::Query::MatchNothing;
}

Xapian::Query date_query(Xapian::valueno slot, const DateBounds& bounds) {
  using Q = Xapian::Query;
  if (bounds.first && bounds.last) {
    return Q(Q::OP_VALUE_RANGE, slot, serialised(*bounds.first), serialised(*bounds.last));
  }
  if (bounds.first) return Q(Q::OP_VALUE_GE, slot, serialised(*bounds.first));
  if (bounds.last) return Q(Q::OP_VALUE_LE, slot, serialised(*bounds.last));
  return Q::MatchAll;
}

DateRangeProcessor::DateRangeProcessor(const std::string& field, Xapian::valueno slot,
                                       ProcessorContext* context)
    : Xapian::RangeProcessor(slot, field + ":"), context_(context) {}

Xapian::Query DateRangeProcessor::operator()(const std::string& begin, const std::string& end) {
  return query_or_fail(slot, parse_date_range(begin, end), context_);
}

Xapian::Query DatePeriodProcessor::operator()(const std::string& value) {
  return query_or_fail(slot_, parse_date_period(value), context_);
}

Xapian::Query ListProcessor::operator()(const std::string& value) {
  const AccessScope* scope = context_->scope;
  if (scope != nullptr && !scope->visible(value)) return Xapian::Query::MatchNothing;
  return Xapian::Query(prefix_ + value);
}

Xapian::Query MessageIdProcessor::operator()(const std::string& value) {
  std::string_view id = value;
  if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
  return Xapian::Query(index::message_id_term(id));
}

Xapian::Query ThreadProcessor::operator()(const std::string& value) {
  std::string label = value;
  for (auto& c : label) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c + 32);
  }
  std::uint64_t thread = 0;
  if (!index::parse_thread_label(label, thread)) {
    return context_->fail("thread: expects a thread id of 16 hex digits, not \"" + value + "\"");
  }
  return Xapian::Query(index::thread_term(thread));
}

Xapian::Query HasProcessor::operator()(const std::string& value) {
  if (value != index::kHasAttachment) {
    return context_->fail("has: knows only has:" + std::string(index::kHasAttachment) +
                          ", not has:" + value);
  }
  return Xapian::Query(prefix_ + value);
}

}  // namespace folio::query::internal
