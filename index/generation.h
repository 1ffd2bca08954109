// generation.h: an index generation on disk: a directory of Xapian shards behind one stub file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "index/model/result.h"
#include "index/stored_message.h"

namespace folio::index {

// A generation directory holds shard0/ .. shardN-1/ (Xapian glass databases)
// and a stub file XAPIANDB naming them, so that opening the directory with
// Xapian searches all shards as one database. Xapian numbers the documents
// of N shards by interleaving: document `docid` lives in shard
// (docid - 1) % N as local id (docid - 1) / N + 1, so the combined ids are
// the store's ids. Shards let N writer threads index in parallel.

inline constexpr const char* kStubFile = "XAPIANDB";
inline constexpr std::size_t kMaxShards = 16;

// Creates the directory, `shards` empty shard databases and the stub.
// kInvalidArgument unless 1 <= shards <= kMaxShards.
model::Status create_generation(const std::filesystem::path& dir, std::size_t shards);

// The shard directories of a generation, in order. A directory without a
// stub is a single (legacy) database and is its own only shard.
model::Result<std::vector<std::filesystem::path>> generation_shards(const std::filesystem::path& dir);

// Where `docid` lives among `shards` shards.
inline std::size_t shard_of(DocId docid, std::size_t shards) { return (docid - 1) % shards; }
inline DocId local_docid(DocId docid, std::size_t shards) {
  return static_cast<DocId>((docid - 1) / shards + 1);
}

}  // namespace folio::index

namespace folio::index {

class Home;

// Generation numbers present under the home's index/ directory, ascending.
std::vector<std::uint64_t> list_generations(const Home& home);

// Copies every shard of generation `from` into a new generation directory
// `to` with Xapian's compaction (a consistent revision of each shard), and
// writes its stub. The copy keeps each shard's metadata (the store sequence).
model::Status copy_generation_compacted(const std::filesystem::path& from,
                                        const std::filesystem::path& to);

// The store sequence a generation covers (the minimum over its shards).
model::Result<std::uint64_t> generation_seq(const std::filesystem::path& dir);

// Removes every generation directory but the live one and `keep`.
void remove_old_generations(const Home& home, std::uint64_t keep);

}  // namespace folio::index
