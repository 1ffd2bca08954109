// archive_stats.cc: counts from the Xapian index, sizes from the file system.
#include "index/archive_stats.h"

#include <algorithm>

#include "index/generation.h"
#include "index/schema.h"
#include "index/xapian_writer.h"

namespace folio::index {

std::uint64_t directory_bytes(const std::filesystem::path& dir) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  }
  return total;
}

model::Result<ArchiveStats> archive_stats(const Home& home) {
  ArchiveStats stats;
  auto gen = home.current_generation();
  FOLIO_TRY(gen);
  stats.generation = gen.value();
  auto shards = generation_shards(home.generation_dir(gen.value()));
  FOLIO_TRY(shards);
  try {
    Xapian::Database db(home.generation_dir(gen.value()).string());
    stats.messages = db.get_doccount();
    const std::string list_prefix = list_term("");
    for (auto t = db.allterms_begin(list_prefix); t != db.allterms_end(list_prefix); ++t) {
      stats.per_list[(*t).substr(list_prefix.size())] = t.get_termfreq();
    }
    const std::string thread_prefix(prefix::kThread);
    for (auto t = db.allterms_begin(thread_prefix); t != db.allterms_end(thread_prefix); ++t) {
      ++stats.threads;
    }
    stats.indexed_seq = UINT64_MAX;
    for (const auto& path : shards.value()) {
      Xapian::Database shard(path.string());
      std::string seq = shard.get_metadata(kIndexedSeqKey);
      stats.indexed_seq = std::min<std::uint64_t>(stats.indexed_seq, seq.empty() ? 0 : std::stoull(seq));
      std::string at = shard.get_metadata(kCommittedAtKey);
      stats.committed_at = std::max<std::int64_t>(stats.committed_at, at.empty() ? 0 : std::stoll(at));
      stats.revision += shard.get_revision();
    }
  } catch (const Xapian::Error& e) {
    return xapian_error(e, "cannot read the index");
  } catch (const std::exception& e) {
    return model::Err(model::Code::kCorruption, std::string("index metadata: ") + e.what());
  }
  stats.store_bytes = directory_bytes(home.store_dir());
  stats.index_bytes = directory_bytes(home.generation_dir(gen.value()));
  return stats;
}

}  // namespace folio::index
