// message_store.h: the durable message store (raw bytes, metadata, id maps, thread sets).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "index/model/result.h"
#include "index/stored_message.h"

namespace folio::index {

// A set of writes applied atomically by MessageStore::write. Key layouts are
// private to the store; callers say what they mean.
class StoreBatch {
 public:
  void put_raw(DocId docid, std::string_view raw);
  void put_meta(const StoredMeta& meta);
  void delete_message(DocId docid);  // raw + meta only
  void map_message_id(std::string_view message_id, DocId docid);
  void unmap_message_id(std::string_view message_id, DocId docid);
  void map_raw_hash(const Hash128& hash, DocId docid);
  void map_content_key(const Hash128& key, DocId docid);
  void set_thread_of(std::string_view message_id, ThreadId thread);
  void add_thread_member(ThreadId thread, std::string_view message_id);
  void remove_thread_member(ThreadId thread, std::string_view message_id);
  void set_thread_size(ThreadId thread, std::uint64_t size);  // 0 deletes
  // Records that thread `from` merged into thread `into`, so that a thread id
  // handed out before the merge still finds its messages (see current_thread).
  void set_thread_alias(ThreadId from, ThreadId into);
  // Records that docid changed at store sequence seq (the index replays these).
  void log_change(std::uint64_t seq, DocId docid);
  void set_counter(std::string_view name, std::uint64_t value);
  // Marks a Message-ID as removed; `note` says when and why.
  void put_tombstone(std::string_view message_id, std::string_view note);

  bool empty() const { return ops_.empty(); }
  std::size_t size() const { return ops_.size(); }

  // One write. Public for the store's implementation only.
  struct Op {
    int family;
    std::string key;
    std::string value;
    bool erase;
  };
  const std::vector<Op>& ops() const { return ops_; }

 private:
  void put(int family, std::string key, std::string value);
  void erase(int family, std::string key);
  std::vector<Op> ops_;
};

enum class StoreMode {
  kReadWrite,  // the one writer
  kReadOnly,   // a snapshot as of opening
  kSecondary,  // follows a running writer: catch_up() moves to its latest writes
};

// The RocksDB-backed store. All reads are thread-safe. Writes come from one
// writer at a time (the indexer); RocksDB's own lock refuses a second writer
// process with kBusy.
class MessageStore {
 public:
  // Opens (creating in kReadWrite mode) the store at `dir`.
  static model::Result<std::unique_ptr<MessageStore>> open(const std::filesystem::path& dir,
                                                           StoreMode mode);
  ~MessageStore();

  // Applies `batch` atomically. Not synced to disk: call sync() for that.
  model::Status write(const StoreBatch& batch);
  // Makes every write so far durable (fsyncs the write-ahead log).
  model::Status sync();
  // kSecondary only: moves to the writer's latest writes.
  model::Status catch_up();

  // Tombstones: ids of removed messages that must not come back.
  model::Result<bool> is_tombstoned(std::string_view message_id) const;

  model::Result<std::optional<DocId>> find_raw_hash(const Hash128& hash) const;
  model::Result<std::optional<DocId>> find_content_key(const Hash128& key) const;
  model::Result<std::vector<DocId>> docids_for_message_id(std::string_view message_id) const;
  // kNotFound when the message is not stored.
  model::Result<StoredMeta> meta(DocId docid) const;
  model::Result<std::string> raw(DocId docid) const;
  // As raw(), leaving the block cache as it was: for bulk reads (exports)
  // that would otherwise fill it and push out what lookups reuse.
  model::Result<std::string> raw_uncached(DocId docid) const;

  model::Result<std::optional<ThreadId>> thread_of(std::string_view message_id) const;
  model::Result<std::vector<std::string>> thread_members(ThreadId thread) const;
  model::Result<std::uint64_t> thread_size(ThreadId thread) const;
  // The thread `thread` merged into, if it did (one step; see current_thread).
  model::Result<std::optional<ThreadId>> thread_alias(ThreadId thread) const;

  model::Result<std::uint64_t> counter(std::string_view name) const;  // 0 when unset
  // Calls fn(seq, docid) for every logged change with seq > after, in order.
  model::Status for_each_change(std::uint64_t after,
                                const std::function<bool(std::uint64_t, DocId)>& fn) const;
  // Calls fn for every stored message's metadata in docid order; stop by returning false.
  model::Status for_each_meta(const std::function<bool(const StoredMeta&)>& fn) const;

  // Writes a consistent copy of everything (as of now; for kSecondary, as of
  // the last catch_up) into a new store at `dir`, which must not exist.
  model::Status copy_to(const std::filesystem::path& dir) const;

  // Bytes on disk (approximate, live SST + WAL files).
  std::uint64_t disk_bytes() const;

 private:
  struct Impl;
  explicit MessageStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace folio::index
