// facet_counter.h: per-list and per-year match counts, taken by match spies during the page's own match.
#pragma once

#ifndef XAPIAN_MOVE_SEMANTICS
#define XAPIAN_MOVE_SEMANTICS
#endif
#include <xapian.h>

#include "query/access_scope.h"
#include "query/search_types.h"

namespace folio::query::internal {

// Counts the documents one Enquire matches, by the values of the lists slot
// ('\n'-joined list names) and the year slot ("YYYY", empty when the date
// is unknown: such documents appear in no year). The spies see every
// document the matcher examines, before thread collapsing.
//
// Attach before Enquire::get_mset and keep the counter alive until the
// match is done (the Enquire holds plain pointers to its spies). Not
// thread-safe; one counter per match.
class FacetCounter {
 public:
  FacetCounter();
  FacetCounter(const FacetCounter&) = delete;
  FacetCounter& operator=(const FacetCounter&) = delete;

  void attach(Xapian::Enquire& enquire);

  // Documents examined by the matcher (each counted once).
  Xapian::doccount examined() const;

  // The counts within `scope`: only visible list names, each with the
  // number of examined documents on it. `exact` is copied into the result:
  // the caller knows whether every match was examined.
  Facets facets(const AccessScope& scope, bool exact) const;

 private:
  Xapian::ValueCountMatchSpy lists_;
  Xapian::ValueCountMatchSpy years_;
};

}  // namespace folio::query::internal
