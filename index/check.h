// check.h: verifying that the store and the live index agree.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "index/home.h"
#include "index/stored_message.h"

namespace folio::index {

struct CheckReport {
  std::uint64_t stored = 0;   // messages in the store
  std::uint64_t indexed = 0;  // documents in the live generation
  std::vector<std::string> problems;  // one line each, at most kMaxProblems
  std::uint64_t problem_count = 0;    // all of them
  std::vector<DocId> to_rebuild;      // stored messages whose document is missing or wrong
  std::vector<DocId> orphans;         // documents without a stored message
  std::uint64_t store_seq = 0;
  std::uint64_t indexed_seq = 0;
};

inline constexpr std::size_t kMaxProblems = 1000;

// Checks every stored message has exactly one document with its Message-ID,
// list and thread terms, that every document has a stored message, and
// compares the store's sequence with the one the index covers. Reads only
// (safe beside a running writer; `writer_running` says whether an index
// behind the store is expected lag rather than a problem).
model::Result<CheckReport> check_archive(const Home& home, bool writer_running);

}  // namespace folio::index
