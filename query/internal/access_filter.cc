// access_filter.cc: OP_FILTER by list terms, skipped when the lists cover the whole index.
#include "query/internal/access_filter.h"

#include <algorithm>

#include "index/schema.h"

namespace folio::query::internal {

void AccessFilter::survey(const Xapian::Database& db) {
  const std::string prefix(index::prefix::kList);
  std::vector<std::string> lists;
  for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
    lists.push_back((*it).substr(prefix.size()));
  }
  std::sort(lists.begin(), lists.end());
  index_lists_ = std::move(lists);
  try {
    every_document_listed_ = db.get_value_freq(index::slot::kLists) == db.get_doccount();
  } catch (const Xapian::UnimplementedError&) {
    every_document_listed_ = false;  // a backend without value statistics: always filter
  }
}

bool AccessFilter::keeps_everything(const std::vector<std::string>& lists) const {
  return every_document_listed_ &&
         std::includes(lists.begin(), lists.end(), index_lists_.begin(), index_lists_.end());
}

Xapian::Query AccessFilter::apply(const Xapian::Query& query, const std::vector<std::string>& lists) const {
  if (keeps_everything(lists)) return query;
  std::vector<Xapian::Query> terms;
  terms.reserve(lists.size());
  for (const auto& l : lists) terms.emplace_back(index::list_term(l));
  Xapian::Query filter(Xapian::Query::OP_OR, terms.begin(), terms.end());
  return Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
}

}  // namespace folio::query::internal
