// search_types.h: the value types a Searcher takes and returns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
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

// One page of results.
struct SearchPage {
  std::uint64_t total = 0;  // matching documents (threads when collapsed); an estimate unless exact
  bool exact = false;       // total is exact
  std::size_t offset = 0;
  std::size_t limit = 0;
  std::vector<Hit> hits;
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
