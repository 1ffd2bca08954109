// archive_writer.h: the single writer's per-message logic: dedupe, store, thread, index, commit.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "index/home.h"
#include "index/message_store.h"
#include "index/model/limits.h"
#include "index/model/message.h"
#include "index/model/result.h"
#include "index/xapian_document.h"
#include "index/xapian_writer.h"

namespace folio::index {

// Parses raw bytes within `limits` (injected by the caller: index/ does not
// know MIME). `pipermail` asks for "user at host" address restoration.
using ParseFn = std::function<model::Result<model::ParsedMessage>(
    std::string_view raw, bool pipermail, const model::ParseLimits& limits)>;

// One message offered to the archive.
struct Incoming {
  std::string raw;
  std::string list;              // a configured list name
  std::string origin;            // for messages: "file:#12", "spool/new/abc"
  bool pipermail = false;
  std::int64_t arrival = 0;      // seconds since the epoch; 0 = unknown (bulk imports)
  // A takedown instead of a message: remove this Message-ID (raw is ignored).
  std::string remove_id;
  std::string remove_reason;
};

enum class OutcomeKind {
  kNew,        // stored and indexed
  kDuplicate,  // already stored on this list: nothing changed
  kCrossPost,  // already stored on another list: this list was added
  kRefused,    // not stored (over the size limit); `reason` says why
  kTombstoned, // not stored: its Message-ID was taken down by `folio remove`
  kRemoved,    // a takedown request: `removed` messages were taken down
};

struct Outcome {
  OutcomeKind kind = OutcomeKind::kNew;
  DocId docid = 0;
  bool malformed = false;  // stored, but parsing found defects
  bool variant = false;    // its Message-ID was already stored with other content
  std::string reason;
  std::size_t removed = 0;  // kRemoved: how many stored messages had the id
};

// A message after the thread-safe preparation step.
struct Prepared {
  Incoming in;
  Hash128 raw_hash{};
  bool known_raw = false;  // the raw bytes were already stored when prepared
  bool parsed = false;
  model::ParsedMessage message;
  Hash128 content_key{};
  Xapian::Document doc;
  std::string refused;     // non-empty: refuse with this reason
};

struct ArchiveWriterOptions {
  ParseFn parse;
  model::ParseLimits limits;
  DocumentOptions document;
  Durability durability = Durability::kSync;
  std::function<std::int64_t()> now;  // clock for date plausibility; defaults to the system clock
  // How long a write may wait for searches still reading an older revision
  // of the live index (index/reader_board.h); 0: never wait.
  std::chrono::milliseconds reader_wait{1000};
};

// Owns the store and the live index generation for writing. The caller holds
// the home's writer lock. prepare() is thread-safe; everything else belongs
// to one thread.
class ArchiveWriter {
 public:
  static model::Result<std::unique_ptr<ArchiveWriter>> open(const Home& home,
                                                            ArchiveWriterOptions options);
  ~ArchiveWriter();

  // Hashes, parses and builds content terms. Thread-safe; `builder` is the
  // calling thread's own.
  Prepared prepare(Incoming in, DocumentBuilder& builder) const;

  // Stores and indexes one prepared message (not yet committed).
  model::Result<Outcome> write(Prepared&& prepared);

  // Makes everything written so far durable in the store, then the index.
  // (With Durability::kNoSync the index's commit is crash-safe for the
  // process but not synced to disk; see sync_index().)
  model::Status commit();

  // Commits, then fsyncs every file of the live index generation: the one
  // sync a bulk job opened with Durability::kNoSync owes at its end.
  model::Status sync_index();
  // Writes since the last commit.
  std::uint64_t uncommitted() const;

  // Re-indexes every change the index has not seen (after a crash). Returns
  // how many messages were re-indexed.
  model::Result<std::uint64_t> repair();

  // Rebuilds the index documents of `docids` from the store (removing those
  // whose message is gone). Not committed.
  model::Status rebuild_documents(const std::vector<DocId>& docids);

  // Takes a message down: every stored message with `message_id` leaves the
  // store and the index, and a tombstone keeps it from coming back. Returns
  // how many stored messages had the id (0: only the tombstone is written).
  model::Result<std::size_t> remove(const std::string& message_id, const std::string& reason);

  // The generation this writer writes. After each commit the writer follows
  // CURRENT: when a reindex swapped generations, it reopens the new one and
  // replays what that generation has not seen.
  std::uint64_t generation() const;

  const MessageStore& store() const;
  // Replaces the parse limits (after a config reload); messages prepared
  // from now on use them. Thread-safe.
  void set_limits(const model::ParseLimits& limits);

  // How documents are built (for the DocumentBuilder of each worker thread).
  const DocumentOptions& document_options() const;

 private:
  // Moves to the generation CURRENT names and replays what it lacks.
  model::Status follow_and_repair();

  struct Impl;
  explicit ArchiveWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Rebuilds the index document of stored message `docid` from its raw bytes
// and metadata into `out`, or removes it from `out` when the message is no
// longer stored. Used by crash repair, check --repair and reindex.
model::Status rebuild_from_store(const MessageStore& store, DocId docid, const ParseFn& parse,
                                 const model::ParseLimits& limits, DocumentBuilder& builder,
                                 XapianWriter& out);

// The identity of a message's content: same Message-ID, sender, date,
// subject (list tags and Re: removed), references and body text (list
// footers removed) give the same key.
Hash128 content_key(const model::ParsedMessage& message);

}  // namespace folio::index
