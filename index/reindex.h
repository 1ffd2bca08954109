// reindex.h: building a new index generation beside the live one, catching up, and swapping.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "index/archive_writer.h"
#include "index/config.h"
#include "index/home.h"

namespace folio::index {

struct ReindexOptions {
  ParseFn parse;
  model::ParseLimits limits;
  DocumentOptions document;
  std::size_t threads = 2;
  std::size_t shards = 2;        // of the new generation (full rebuilds)
  std::size_t commit_every = 1000;  // messages per Xapian commit (the config's batch_messages)
  std::string list;              // only this list's messages are re-indexed ("" = all)
  std::int64_t since = 0;        // only messages dated at or after this (0 = all)
  bool compact = false;          // compact the new generation before the swap
  bool copy_only = false;        // `folio compact`: copy the live generation, re-index nothing
  std::int64_t grace_seconds = 30;  // old generations are removed this long after the swap
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
};

struct ReindexSummary {
  std::uint64_t generation = 0;   // the new live generation
  std::uint64_t reindexed = 0;    // messages built from the store
  std::uint64_t caught_up = 0;    // changes that arrived meanwhile and were replayed
  std::uint64_t documents = 0;    // documents in the new generation
};

// Builds generation N+1 from the store while writers and readers go on
// (the store is followed as a RocksDB secondary), replays what arrived
// meanwhile, and points CURRENT at it. A full rebuild re-indexes every
// stored message; with a list, a date or copy_only the live generation is
// first copied (compacted) and only the chosen messages are rebuilt.
// Interrupted at any point, the live generation is untouched and the
// half-built one is removed by the next run. The caller holds the home's
// maintenance lock.
model::Result<ReindexSummary> reindex(const Home& home, const ReindexOptions& options);

}  // namespace folio::index
