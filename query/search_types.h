// search_types.h: the value types a Searcher takes and returns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "index/doc_data.h"
#include "index/model/message.h"
#include "index/stored_message.h"

namespace folio::query {

// One search. Checked against index::SearchSettings by Searcher::search.
struct SearchRequest {
  enum class Sort {
    kRelevance,  // BM25, ties broken newest first
    kDate,       // newest first
  };

  std::string query;  // the query language of query_parser.h; "" = everything
  std::string list;   // only this list; "" = every visible list
  Sort sort = Sort::kRelevance;
  std::size_t offset = 0;        // <= max_offset
  std::size_t limit = 20;        // <= max_page_size; 0 asks only for the total
  bool collapse_thread = false;  // at most one hit per thread
  bool facets = false;           // count matches per list and per year (SearchPage::facets)
  bool suggest = false;          // offer a spelling suggestion (SearchPage::suggestion)
};

// One result.
struct Hit {
  index::DocId docid = 0;
  std::string message_id;
  std::vector<std::string> lists;  // only lists the reader may see
  std::string subject;
  model::Address from;
  std::int64_t date = 0;  // effective date, seconds since the epoch
  std::string thread;     // thread label (index::thread_label)
  // Safe HTML: text is escaped (& < > " '), matched terms are wrapped in
  // <mark>...</mark>, omitted text is shown as "...".
  std::string snippet;
};

// Matching documents per visible list and per year, counted in the match
// that finds the page. Documents are counted even when hits collapse by
// thread. A document counts once for each visible list it is on (a
// cross-post to a hidden list counts for its visible lists only); a hidden
// list appears nowhere.
struct Facets {
  std::vector<std::pair<std::string, std::uint64_t>> lists;  // lists with matches, by name
  std::vector<std::pair<int, std::uint64_t>> years;          // years with matches, newest first
  // Every matching document was counted. Otherwise (the match ran out of
  // time) each count is of the matches examined only: a lower bound.
  bool exact = false;
};

// One page of results.
struct SearchPage {
  std::uint64_t total = 0;  // matching documents (threads when collapsed); an estimate unless exact
  bool exact = false;       // total is exact
  std::size_t offset = 0;
  std::size_t limit = 0;
  std::vector<Hit> hits;
  std::optional<Facets> facets;           // when the request asked for them
  // When the request asked for one and the query has few visible matches:
  // the query with misspelt words corrected, which has more visible matches
  // (see Searcher::search).
  std::optional<std::string> suggestion;
};

// A message as the reader may see it.
struct MessageView {
  index::DocId docid = 0;
  index::DocData data;
  std::vector<std::string> lists;  // only lists the reader may see
  std::string thread;              // thread label
  std::int64_t date = 0;           // effective date
  // Visible documents with this Message-ID (same id, different content);
  // this view is the first of them by docid.
  std::uint32_t variants = 1;
};

// One message in a thread tree.
struct ThreadNode {
  std::size_t depth = 0;  // 0 for a root
  index::DocId docid = 0;
  std::string message_id;
  std::string subject;
  model::Address from;
  std::int64_t date = 0;  // effective date
};

// The visible messages of a thread in display order: depth first, siblings
// and roots by date then Message-ID.
struct ThreadView {
  std::string thread;  // thread label
  std::vector<ThreadNode> nodes;
  bool truncated = false;  // the thread had more visible messages than the bound
};

}  // namespace folio::query
