// xapian_writer.h: owns the single WritableDatabase of one index generation.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include "index/home.h"
#include "index/model/result.h"
#include "index/stored_message.h"
#include "index/xapian_document.h"

namespace folio::index {

enum class Durability {
  kSync,    // each commit is fsynced (live delivery)
  kNoSync,  // faster bulk work; a machine crash may need `folio reindex`
};

// Makes a writer of the live generation let readers of older revisions
// finish before it overwrites them (index/reader_board.h): the first write
// after open() and after each commit() first waits, at most `max_wait`, for
// the readers of `home` that opened before then.
struct ReaderGate {
  Home home;
  std::chrono::milliseconds max_wait{1000};
};

// The one writer of a Xapian generation. Not thread-safe: one thread owns it.
class XapianWriter {
 public:
  // Opens or creates the database in `dir`. kBusy when another writer holds it.
  // With a gate, writes wait for older readers as ReaderGate says (only for
  // the generation readers read: a generation being built needs none).
  static model::Result<std::unique_ptr<XapianWriter>> open(const std::filesystem::path& dir,
                                                           Durability durability,
                                                           std::optional<ReaderGate> gate = std::nullopt);
  ~XapianWriter();

  // Adds or replaces the document with id `docid`. The document is moved to
  // the shard's thread: Xapian objects are not shared between threads.
  // Thread-safe.
  model::Status put(DocId docid, Xapian::Document&& doc);
  // Reads the current (possibly uncommitted) document, lets `edit` change it
  // and writes it back, all on the shard's thread; nothing if it is absent.
  // Thread-safe; waits for the edit.
  model::Status update(DocId docid, const std::function<void(Xapian::Document&)>& edit);
  model::Status remove(DocId docid);
  // Commits everything so far and records that the index covers the store
  // up to `store_seq`.
  model::Status commit(std::uint64_t store_seq);
  // The store sequence covered by the last commit (0 for a new database).
  std::uint64_t indexed_seq() const;
  std::uint64_t doc_count() const;

 private:
  struct Impl;
  explicit XapianWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The one translation of Xapian exceptions into folio errors (index side).
model::Error xapian_error(const Xapian::Error& e, const std::string& what);

// The metadata key under which a generation records its store sequence.
inline constexpr const char* kIndexedSeqKey = "folio.seq";
// ... and the time of its last commit (seconds since the epoch).
inline constexpr const char* kCommittedAtKey = "folio.committed_at";

}  // namespace folio::index
