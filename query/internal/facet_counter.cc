// facet_counter.cc: ValueCountMatchSpy over the lists and year slots, folded into visible counts.
#include "query/internal/facet_counter.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <string_view>

#include "index/schema.h"
#include "query/internal/result_assembly.h"

namespace folio::query::internal {

namespace {

// "YYYY" -> YYYY; false for anything else (an empty value: no date).
bool parse_year(std::string_view value, int& year) {
  if (value.empty()) return false;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), year);
  return ec == std::errc() && end == value.data() + value.size();
}

}  // namespace

FacetCounter::FacetCounter() : lists_(index::slot::kLists), years_(index::slot::kYear) {}

void FacetCounter::attach(Xapian::Enquire& enquire) {
  enquire.add_matchspy(&lists_);
  enquire.add_matchspy(&years_);
}

Xapian::doccount FacetCounter::examined() const { return lists_.get_total(); }

Facets FacetCounter::facets(const AccessScope& scope, bool exact) const {
  Facets f;
  f.exact = exact;
  // A document's lists value names all its lists; each distinct value is
  // one combination, counted once per document holding it.
  std::map<std::string, std::uint64_t> lists;
  for (auto it = lists_.values_begin(); it != lists_.values_end(); ++it) {
    for (auto& name : visible_lists(*it, scope)) lists[std::move(name)] += it.get_termfreq();
  }
  f.lists.assign(lists.begin(), lists.end());
  for (auto it = years_.values_begin(); it != years_.values_end(); ++it) {
    int year = 0;
    if (parse_year(*it, year)) f.years.emplace_back(year, it.get_termfreq());
  }
  std::sort(f.years.begin(), f.years.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  return f;
}

}  // namespace folio::query::internal
