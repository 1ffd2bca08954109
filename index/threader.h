// threader.h: groups messages into threads by References / In-Reply-To, with ghosts.
#pragma once

#include <string>
#include <vector>

#include "index/message_store.h"

namespace folio::index {

// Where a new message landed.
struct ThreadPlacement {
  ThreadId thread = 0;
  // Message-ids (real or ghost) that moved into `thread` from threads that
  // merged into it; their stored messages must be re-tagged.
  std::vector<std::string> moved;
};

// A thread is the connected set of a message's id and every id it refers to,
// whether or not a message with that id has arrived yet ("ghosts"). Because a
// connected set does not depend on the order its links arrive in, any arrival
// order groups the same messages together. When a message links two threads
// they merge: the smaller one's members move into the larger one.
//
// Single writer: reads the store, adds its writes to `batch`; the caller
// writes the batch before placing the next message.
class Threader {
 public:
  explicit Threader(const MessageStore& store) : store_(store) {}

  // Places message `id` with parents `parents` (References then In-Reply-To).
  // `next_thread` is the allocator for new thread ids (incremented when used).
  model::Result<ThreadPlacement> place(const std::string& id, const std::vector<std::string>& parents,
                                       ThreadId& next_thread, StoreBatch& batch);

 private:
  const MessageStore& store_;
};

// Aliases followed at most; the larger thread absorbs the smaller, so a
// thread id is merged away at most log2(messages) times in a row.
inline constexpr std::size_t kMaxThreadAliasHops = 64;

// The thread that `thread` is now part of: itself unless it merged into
// another, following the merges (at most kMaxThreadAliasHops).
model::Result<ThreadId> current_thread(const MessageStore& store, ThreadId thread);

}  // namespace folio::index
