// result_cache.h: ResultCache, one LRU of rendered answers shared by all threads; IndexVersion, its staleness key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "index/home.h"
#include "index/model/result.h"
#include "query/access_scope.h"

namespace folio::query {

// What an answer was computed from: the live generation and the Xapian
// revision within it. A commit raises the revision; a reindex swap changes
// the generation. Either makes every older cache key unreachable.
struct IndexVersion {
  std::uint64_t generation = 0;
  std::uint64_t revision = 0;

  bool operator==(const IndexVersion& o) const {
    return generation == o.generation && revision == o.revision;
  }
};

// Reads the IndexVersion of a home's live generation. Not thread-safe: one
// per thread (it keeps a Xapian database open and reopens it, which is
// cheap when nothing changed). No exception escapes.
//
// To key a cache entry safely, read the version BEFORE refreshing the
// Searcher that computes the answer: the answer is then at least as new as
// its key, never older.
class IndexVersionProbe {
 public:
  explicit IndexVersionProbe(index::Home home);
  ~IndexVersionProbe();
  IndexVersionProbe(const IndexVersionProbe&) = delete;
  IndexVersionProbe& operator=(const IndexVersionProbe&) = delete;

  // The current version. kNotFound when the home has no live generation;
  // kIOError / kCorruption when it cannot be read. A generation whose
  // database does not exist yet (nothing committed) has revision 0.
  model::Result<IndexVersion> read();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The parts of a cache key. Two requests share an entry only when all four
// are equal, so an answer never crosses readers with different scopes and
// never outlives the index revision it was computed from.
struct CacheKey {
  std::string request;  // canonical request: endpoint + normalised parameters
  std::string scope;    // AccessScope::key() of the reader
  IndexVersion version;

  // An unambiguous single string (each part length-prefixed).
  std::string str() const;
};

// Cache counters, for /metrics.
struct CacheStats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;       // computations started
  std::uint64_t shared = 0;       // misses that waited for an identical computation instead of running it
  std::uint64_t evictions = 0;
  std::uint64_t entries = 0;
  std::uint64_t bytes = 0;        // charged bytes now held (keys + values + overhead)
  std::uint64_t max_bytes = 0;
};

// A bounded, thread-safe LRU of rendered answers (strings), shared by all
// threads of a process.
//
// - Bounded in bytes: each entry is charged twice its key (held in the LRU
//   list and in the index), its value's allocation and kEntryOverhead (the
//   nodes, the shared value's control block, the allocator's rounding);
//   inserting evicts least-recently-used entries until the total fits. A
//   value larger than max_bytes / 8 is returned but not kept.
// - Single flight: when several threads miss on the same key at once, one
//   runs `compute`, the others wait for its answer. An error is handed to
//   the waiters of that flight but never cached.
// - `compute` runs without the cache lock held, on the calling thread; it
//   must not call back into the same key (it would wait for itself).
class ResultCache {
 public:
  static constexpr std::size_t kEntryOverhead = 256;

  // A cache holding at most `max_bytes` charged bytes (0 disables keeping
  // entries; single flight still applies).
  explicit ResultCache(std::size_t max_bytes);
  ~ResultCache();
  ResultCache(const ResultCache&) = delete;
  ResultCache& operator=(const ResultCache&) = delete;

  // An answer and whether it came from the cache (or from another
  // thread's identical computation) rather than from `compute` here.
  struct Answer {
    std::shared_ptr<const std::string> value;
    bool cached = false;
  };

  // The value for `key`: from the cache, else from an identical computation
  // already running, else from `compute` (and then kept if it fits).
  model::Result<Answer> get_or_compute(const std::string& key,
                                       const std::function<model::Result<std::string>()>& compute);

  // The value for `key` if held (marks it most recently used), else nullptr.
  std::shared_ptr<const std::string> find(const std::string& key);

  CacheStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace folio::query
