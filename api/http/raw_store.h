// raw_store.h: RawStore, the original message bytes from the store, opened read-only beside the writer.
#pragma once

#include <filesystem>
#include <optional>
#include <memory>
#include <mutex>
#include <string>

#include "index/message_store.h"
#include "query/result_cache.h"
#include "index/stored_message.h"
#include "index/model/result.h"

namespace folio::api::http {

// Shared, thread-safe access to raw message bytes by docid. A read-only
// RocksDB sees the store as it was when opened, so a docid the index
// already serves may be newer than the open snapshot: on kNotFound the
// store is reopened (at most once per call) and the read retried.
class RawStore {
 public:
  explicit RawStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // The raw bytes of `docid`. kNotFound when the store does not hold it.
  model::Result<std::string> raw(index::DocId docid);

  // As raw(), without filling the store's block cache (bulk exports).
  model::Result<std::string> raw_uncached(index::DocId docid);

  // The metadata of `docid` (its lists). kNotFound when the store does not hold it.
  model::Result<index::StoredMeta> meta(index::DocId docid);

  // The thread `thread` has merged into (index::current_thread); itself when
  // it has not. A merge newer than the open store is seen after a reopen,
  // which a miss here triggers once per index version at most (`version`,
  // the request's), so requests for made-up thread ids cannot make the
  // store reopen each time: the index changes only when the store did.
  model::Result<index::ThreadId> current_thread(index::ThreadId thread, const query::IndexVersion& version);

 private:
  // Runs `read` on the open store, and once more on a reopened one on kNotFound.
  template <typename T, typename Read>
  model::Result<T> read_fresh(Read read);

  model::Result<std::shared_ptr<index::MessageStore>> store(bool reopen);

  const std::filesystem::path dir_;
  std::mutex mu_;
  std::shared_ptr<index::MessageStore> store_;  // guarded by mu_
  std::optional<query::IndexVersion> alias_version_;  // guarded by mu_: of the last reopen for an alias
};

}  // namespace folio::api::http
