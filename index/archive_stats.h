// archive_stats.h: counts and sizes of an archive, for `folio stats`.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "index/home.h"
#include "index/model/result.h"

namespace folio::index {

struct ArchiveStats {
  std::uint64_t messages = 0;  // documents in the live index
  std::uint64_t threads = 0;   // threads with at least one message
  std::map<std::string, std::uint64_t> per_list;  // list name -> messages (cross-posts count in each)
  std::uint64_t store_bytes = 0;
  std::uint64_t index_bytes = 0;
  std::uint64_t generation = 0;
  std::uint64_t indexed_seq = 0;  // store sequence the index covers
  std::uint64_t revision = 0;     // sum of the live generation's shard revisions (grows with each commit)
  std::int64_t committed_at = 0;  // time of the last commit, 0 if never
};

// Reads the live generation (read-only; safe beside a running writer).
model::Result<ArchiveStats> archive_stats(const Home& home);

// Total size of the regular files under `dir`.
std::uint64_t directory_bytes(const std::filesystem::path& dir);

}  // namespace folio::index
