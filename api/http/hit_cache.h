// hit_cache.h: HitCache, rendered search answers by request target, for answering repeats on the I/O thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "query/result_cache.h"

namespace folio::api::http {

// A second index into search answers, keyed by what the I/O thread knows
// without Xapian: the request target as received, the reader's
// AccessScope::key(), the config generation and the index version. The
// canonical cache (query::ResultCache, keyed by the parsed query) stays the
// one that single-flights and computes; this one only remembers what the
// workers answered, so that an identical request can be answered before it
// reaches a worker.
//
// Freshness: the index version used for a lookup is the newest one a worker
// read (IndexVersionProbe), and only while that read started less than
// `fresh` ago. So an answer is at most `fresh` older than the newest commit,
// a removed message or a new one shows within `fresh`, and a config change
// (new generation) or another reader's scope never reaches another's entry.
// fresh = 0 turns the fast path off. Thread-safe.
class HitCache {
 public:
  using Clock = std::chrono::steady_clock;

  HitCache(std::size_t max_bytes, std::chrono::milliseconds fresh);

  // Records that the index was at least at `version` when a read started at
  // `read_at`. The newest version and the latest start are kept.
  void note_version(const query::IndexVersion& version, Clock::time_point read_at);

  // The version checked less than `fresh` before `now`, if any.
  std::optional<query::IndexVersion> fresh_version(Clock::time_point now) const;

  // A search answer's body without its per-response head (see split_timing),
  // for `target` read by `scope` under config `config_gen` at `version`;
  // nullptr when not held. Counts a hit when found.
  std::shared_ptr<const std::string> find(std::string_view target, std::string_view scope,
                                          std::uint64_t config_gen, const query::IndexVersion& version);

  // Keeps the answer `body` (a 200 from handle_search) computed at `version`.
  void remember(std::string_view target, std::string_view scope, std::uint64_t config_gen,
                const query::IndexVersion& version, const std::string& body);

  std::uint64_t hits() const { return hits_; }
  query::CacheStats stats() const { return cache_.stats(); }

  // A search body {"took_ms":T,"cached":B,REST} -> ",REST}" or "}" (the part
  // that does not change between answers); nullopt for any other shape.
  static std::optional<std::string> split_timing(std::string_view body);
  // The inverse: {"took_ms":took_ms,"cached":true + tail.
  static std::string with_timing(std::string_view tail, double took_ms);

 private:
  static std::string key(std::string_view target, std::string_view scope, std::uint64_t config_gen,
                         const query::IndexVersion& version);

  const std::chrono::milliseconds fresh_;
  query::ResultCache cache_;
  mutable std::mutex mu_;
  query::IndexVersion version_;         // guarded by mu_
  Clock::time_point read_at_{};         // guarded by mu_; epoch = never
  std::atomic<std::uint64_t> hits_{0};
};

}  // namespace folio::api::http
