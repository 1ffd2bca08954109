// field_processors.cc: date, list, Message-ID, thread and has: values as Xapian queries.
#include "query/internal/field_processors.h"

#include <chrono>
#include <vector>

#include "index/schema.h"

namespace folio::query::internal {

namespace {

std::string serialised(std::int64_t epoch) {
  return Xapian::sortable_serialise(static_cast<double>(epoch));
}

Xapian::Query query_or_fail(Xapian::valueno slot, const model::Result<DateBounds>& bounds,
                            ProcessorContext* context) {
  if (!bounds.ok()) return context->fail(bounds.error().message);
  if (context->date_terms) {
    if (auto terms = date_terms_query(bounds.value())) return *terms;
  }
  return date_query(slot, bounds.value());
}

constexpr std::int64_t kSecondsPerDay = 86400;

// The periods covering the days [first, last], largest first.
bool add_periods(std::chrono::sys_days first, std::chrono::sys_days last, std::vector<std::string>& terms) {
  using namespace std::chrono;
  for (sys_days d = first; d <= last;) {
    if (terms.size() >= kMaxDateTerms) return false;
    year_month_day ymd{d};
    int y = static_cast<int>(ymd.year());
    auto m = static_cast<unsigned>(ymd.month());
    auto day = static_cast<unsigned>(ymd.day());
    sys_days next_year = sys_days{(ymd.year() + years{1}) / January / 1};
    sys_days next_month = sys_days{(ymd.year() / ymd.month() / 1) + months{1}};
    if (m == 1 && day == 1 && next_year - days{1} <= last) {
      terms.push_back(index::date_period_term(y));
      d = next_year;
    } else if (day == 1 && next_month - days{1} <= last) {
      terms.push_back(index::date_period_term(y, m));
      d = next_month;
    } else {
      terms.push_back(index::date_period_term(y, m, day));
      d += days{1};
    }
  }
  return true;
}

}  // namespace

Xapian::Query ProcessorContext::fail(std::string message) {
  if (problem.empty()) problem = std::move(message);
  return Xapian::Query::MatchNothing;
}

std::optional<Xapian::Query> date_terms_query(const DateBounds& bounds) {
  using namespace std::chrono;
  if (!bounds.first || !bounds.last || *bounds.last < *bounds.first) return std::nullopt;
  if (*bounds.first % kSecondsPerDay != 0 || (*bounds.last + 1) % kSecondsPerDay != 0) return std::nullopt;
  sys_days first{days{*bounds.first / kSecondsPerDay}};
  sys_days last{days{(*bounds.last + 1) / kSecondsPerDay - 1}};
  if (year_month_day{first}.year() < year{0} || year_month_day{last}.year() > year{9999}) return std::nullopt;
  std::vector<std::string> terms;
  if (!add_periods(first, last, terms)) return std::nullopt;
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

bool index_has_date_terms(const Xapian::Database& db) {
  try {
    return db.get_metadata(index::kDateTermsKey) == "1";
  } catch (const Xapian::Error&) {
    return false;
  }
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
