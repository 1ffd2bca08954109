// generation.h: an index generation on disk: a directory of Xapian shards behind one stub file.
#pragma once

#include <cstddef>
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
