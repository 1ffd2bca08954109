// thread_tree.h: the visible messages of a thread -> a display-ordered tree.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "query/search_types.h"

namespace folio::query::internal {

// What tree building needs to know about one visible message.
struct ThreadItem {
  index::DocId docid = 0;
  std::string message_id;
  std::string in_reply_to;
  std::vector<std::string> references;  // oldest first, as in the header
  std::int64_t date = 0;
  std::string subject;
  model::Address from;
};

// Orders `items` as a forest, depth first. A message's parent is its
// In-Reply-To when that message is among `items`, else the nearest
// (last) of its References that is; so when a parent is missing or hidden
// the message hangs from its nearest visible ancestor. Links that would
// close a reference cycle are dropped (the earliest message of a cycle
// becomes its top). Messages without a parent are roots. Roots and
// siblings are ordered by date, then Message-ID, then docid. Several items
// with one Message-ID all appear; replies hang from the earliest of them.
// Runs in O(n log n) for n items plus their references; no recursion.
std::vector<ThreadNode> build_thread_tree(std::vector<ThreadItem> items);

}  // namespace folio::query::internal
