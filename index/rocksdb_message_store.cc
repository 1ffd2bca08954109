// rocksdb_message_store.cc: MessageStore on RocksDB; the only RocksDB translation unit.
#include "index/message_store.h"

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>

#include <array>
#include <unistd.h>

#include <cstdint>
#include <cstring>

#include "index/internal/codec.h"

namespace folio::index {

using model::Code;
using model::Err;
using model::Result;
using model::Status;

namespace {

// Column families, in the order they are opened.
enum Family : int {
  kDefault = 0,  // counters
  kRaw,          // docid -> raw bytes
  kMeta,         // docid -> encoded StoredMeta
  kMid,          // message-id \0 docid -> ""
  kRawHash,      // raw hash -> docid
  kContent,      // content key -> docid
  kThread,       // 'm' id -> thread; 'c' thread id -> ""; 'n' thread -> size; 't' id -> tombstone note;
                 // 'a' merged thread -> the thread it merged into
  kChanges,      // seq -> docid
  kFamilyCount
};

constexpr std::array<const char*, kFamilyCount> kFamilyNames{
    "default", "raw", "meta", "mid", "rawhash",
    "content", "thread", "changes"};

std::string docid_key(DocId d) { return internal::be64(d); }

std::string hash_key(const Hash128& h) {
  return std::string(reinterpret_cast<const char*>(h.data()), h.size());
}

// Message-ids never hold NUL in practice; keep the separator unambiguous anyway.
std::string clean_id(std::string_view id) {
  std::string s(id);
  for (auto& c : s) {
    if (c == '\0') c = ' ';
  }
  return s;
}

std::string mid_prefix(std::string_view id) { return clean_id(id) + '\0'; }

std::string thread_member_prefix(ThreadId t) { return "c" + internal::be64(t); }

// The one translation of rocksdb::Status into folio errors.
model::Error to_error(const rocksdb::Status& s, const std::string& what) {
  Code code = Code::kIOError;
  if (s.IsCorruption()) code = Code::kCorruption;
  if (s.IsNotFound()) code = Code::kNotFound;
  if (s.IsBusy() || s.IsTimedOut() || s.IsTryAgain()) code = Code::kBusy;
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) code = Code::kBusy;
  if (s.IsInvalidArgument()) code = Code::kInvalidArgument;
  return Err(code, what + ": " + s.ToString());
}

// The one block cache of a store, shared by its column families. Index and
// filter blocks live in it too, so a store's read memory is bounded by this
// whatever the number of tables (a reader keeps every table open).
constexpr std::size_t kBlockCacheBytes = 64 << 20;

rocksdb::ColumnFamilyOptions family_options(int family, const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions o;
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = cache;
  t.cache_index_and_filter_blocks = true;
  t.pin_l0_filter_and_index_blocks_in_cache = true;
  if (family == kRaw) {
    o.compression = rocksdb::kZSTD;
    o.bottommost_compression = rocksdb::kZSTD;
    t.block_size = 64 << 10;
  } else {
    o.compression = rocksdb::kLZ4Compression;
    t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  }
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  o.write_buffer_size = 64 << 20;
  return o;
}

}  // namespace

// ---- StoreBatch ----

void StoreBatch::put(int family, std::string key, std::string value) {
  ops_.push_back(Op{family, std::move(key), std::move(value), false});
}
void StoreBatch::erase(int family, std::string key) {
  ops_.push_back(Op{family, std::move(key), {}, true});
}
void StoreBatch::put_raw(DocId d, std::string_view raw) { put(kRaw, docid_key(d), std::string(raw)); }
void StoreBatch::put_meta(const StoredMeta& m) { put(kMeta, docid_key(m.docid), encode_meta(m)); }
void StoreBatch::delete_message(DocId d) {
  erase(kRaw, docid_key(d));
  erase(kMeta, docid_key(d));
}
void StoreBatch::map_message_id(std::string_view id, DocId d) {
  put(kMid, mid_prefix(id) + docid_key(d), {});
}
void StoreBatch::unmap_message_id(std::string_view id, DocId d) {
  erase(kMid, mid_prefix(id) + docid_key(d));
}
void StoreBatch::map_raw_hash(const Hash128& h, DocId d) { put(kRawHash, hash_key(h), docid_key(d)); }
void StoreBatch::map_content_key(const Hash128& k, DocId d) {
  put(kContent, hash_key(k), docid_key(d));
}
void StoreBatch::set_thread_of(std::string_view id, ThreadId t) {
  put(kThread, "m" + clean_id(id), internal::be64(t));
}
void StoreBatch::add_thread_member(ThreadId t, std::string_view id) {
  put(kThread, thread_member_prefix(t) + clean_id(id), {});
}
void StoreBatch::remove_thread_member(ThreadId t, std::string_view id) {
  erase(kThread, thread_member_prefix(t) + clean_id(id));
}
void StoreBatch::set_thread_size(ThreadId t, std::uint64_t n) {
  if (n == 0) {
    erase(kThread, "n" + internal::be64(t));
  } else {
    put(kThread, "n" + internal::be64(t), internal::be64(n));
  }
}
void StoreBatch::set_thread_alias(ThreadId from, ThreadId into) {
  put(kThread, "a" + internal::be64(from), internal::be64(into));
}
void StoreBatch::log_change(std::uint64_t seq, DocId d) {
  put(kChanges, internal::be64(seq), docid_key(d));
}
void StoreBatch::put_tombstone(std::string_view id, std::string_view note) {
  put(kThread, "t" + clean_id(id), std::string(note));
}
void StoreBatch::set_counter(std::string_view name, std::uint64_t v) {
  put(kDefault, std::string(name), internal::be64(v));
}

// ---- MessageStore ----

struct MessageStore::Impl {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> families;
  std::filesystem::path dir;
  std::filesystem::path secondary_dir;  // kSecondary's own scratch folder

  ~Impl() {
    for (auto* h : families) {
      if (db && h) db->DestroyColumnFamilyHandle(h);
    }
    if (db) db->Close();
    std::error_code ec;
    if (!secondary_dir.empty()) std::filesystem::remove_all(secondary_dir, ec);
  }

  rocksdb::ColumnFamilyHandle* cf(int f) const { return families[static_cast<std::size_t>(f)]; }

  Result<std::optional<std::string>> get(int family, const std::string& key, bool fill_cache = true) const {
    std::string value;
    rocksdb::ReadOptions ro;
    ro.fill_cache = fill_cache;
    rocksdb::Status s = db->Get(ro, cf(family), key, &value);
    if (s.IsNotFound()) return std::optional<std::string>{};
    if (!s.ok()) return to_error(s, "store read");
    return std::optional<std::string>(std::move(value));
  }

  Result<std::optional<DocId>> get_docid(int family, const std::string& key) const {
    auto v = get(family, key);
    FOLIO_TRY(v);
    if (!v.value() || v.value()->size() != 8) return std::optional<DocId>{};
    return std::optional<DocId>(static_cast<DocId>(internal::get_be64(*v.value())));
  }

  // Calls fn(key-without-prefix, value) for keys starting with prefix.
  Status scan(int family, const std::string& prefix,
              const std::function<bool(std::string_view, std::string_view)>& fn) const {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), cf(family)));
    for (it->Seek(prefix); it->Valid(); it->Next()) {
      rocksdb::Slice k = it->key();
      if (!k.starts_with(prefix)) break;
      std::string_view rest(k.data() + prefix.size(), k.size() - prefix.size());
      if (!fn(rest, std::string_view(it->value().data(), it->value().size()))) break;
    }
    if (!it->status().ok()) return to_error(it->status(), "store scan");
    return {};
  }
};

MessageStore::MessageStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MessageStore::~MessageStore() = default;

Result<std::unique_ptr<MessageStore>> MessageStore::open(const std::filesystem::path& dir,
                                                         StoreMode mode) {
  rocksdb::DBOptions options;
  options.create_if_missing = mode == StoreMode::kReadWrite;
  options.create_missing_column_families = mode == StoreMode::kReadWrite;
  options.max_background_jobs = 2;
  options.bytes_per_sync = 1 << 20;
  options.keep_log_file_num = 5;
  options.max_total_wal_size = 256 << 20;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(kBlockCacheBytes);
  for (int f = 0; f < kFamilyCount; ++f) {
    descriptors.emplace_back(kFamilyNames[static_cast<std::size_t>(f)], family_options(f, cache));
  }
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (mode == StoreMode::kReadOnly) {
    s = rocksdb::DB::OpenForReadOnly(options, dir.string(), descriptors, &impl->families, &raw);
  } else if (mode == StoreMode::kSecondary) {
    options.max_open_files = -1;  // required of secondaries
    auto secondary = std::filesystem::temp_directory_path() /
                     ("folio-secondary-" + std::to_string(::getpid()) + "-" +
                      std::to_string(reinterpret_cast<std::uintptr_t>(impl.get())));
    impl->secondary_dir = secondary;
    s = rocksdb::DB::OpenAsSecondary(options, dir.string(), secondary.string(), descriptors,
                                     &impl->families, &raw);
  } else {
    s = rocksdb::DB::Open(options, dir.string(), descriptors, &impl->families, &raw);
  }
  if (!s.ok()) return to_error(s, "cannot open the message store at " + dir.string());
  impl->db.reset(raw);
  return std::unique_ptr<MessageStore>(new MessageStore(std::move(impl)));
}

Status MessageStore::write(const StoreBatch& batch) {
  rocksdb::WriteBatch wb;
  for (const auto& op : batch.ops()) {
    rocksdb::Status s = op.erase ? wb.Delete(impl_->cf(op.family), op.key)
                                 : wb.Put(impl_->cf(op.family), op.key, op.value);
    if (!s.ok()) return to_error(s, "store batch");
  }
  rocksdb::Status s = impl_->db->Write(rocksdb::WriteOptions(), &wb);
  if (!s.ok()) return to_error(s, "store write");
  return {};
}

Status MessageStore::sync() {
  rocksdb::Status s = impl_->db->FlushWAL(/*sync=*/true);
  if (!s.ok()) return to_error(s, "store sync");
  return {};
}

Status MessageStore::catch_up() {
  rocksdb::Status s = impl_->db->TryCatchUpWithPrimary();
  if (!s.ok()) return to_error(s, "store catch-up");
  return {};
}

Result<bool> MessageStore::is_tombstoned(std::string_view id) const {
  auto v = impl_->get(kThread, "t" + clean_id(id));
  FOLIO_TRY(v);
  return v.value().has_value();
}

Result<std::optional<DocId>> MessageStore::find_raw_hash(const Hash128& h) const {
  return impl_->get_docid(kRawHash, hash_key(h));
}

Result<std::optional<DocId>> MessageStore::find_content_key(const Hash128& k) const {
  return impl_->get_docid(kContent, hash_key(k));
}

Result<std::vector<DocId>> MessageStore::docids_for_message_id(std::string_view id) const {
  std::vector<DocId> out;
  FOLIO_TRY(impl_->scan(kMid, mid_prefix(id), [&](std::string_view rest, std::string_view) {
    if (rest.size() == 8) out.push_back(static_cast<DocId>(internal::get_be64(rest)));
    return true;
  }));
  return out;
}

Result<StoredMeta> MessageStore::meta(DocId d) const {
  auto v = impl_->get(kMeta, docid_key(d));
  FOLIO_TRY(v);
  if (!v.value()) return Err(Code::kNotFound, "message " + std::to_string(d) + " is not stored");
  return decode_meta(d, *v.value());
}

Result<std::string> MessageStore::raw(DocId d) const {
  auto v = impl_->get(kRaw, docid_key(d));
  FOLIO_TRY(v);
  if (!v.value()) return Err(Code::kNotFound, "message " + std::to_string(d) + " is not stored");
  return std::move(*v.value());
}

Result<std::string> MessageStore::raw_uncached(DocId d) const {
  auto v = impl_->get(kRaw, docid_key(d), false);
  FOLIO_TRY(v);
  if (!v.value()) return Err(Code::kNotFound, "message " + std::to_string(d) + " is not stored");
  return std::move(*v.value());
}

Result<std::optional<ThreadId>> MessageStore::thread_of(std::string_view id) const {
  auto v = impl_->get(kThread, "m" + clean_id(id));
  FOLIO_TRY(v);
  if (!v.value() || v.value()->size() != 8) return std::optional<ThreadId>{};
  return std::optional<ThreadId>(internal::get_be64(*v.value()));
}

Result<std::vector<std::string>> MessageStore::thread_members(ThreadId t) const {
  std::vector<std::string> out;
  FOLIO_TRY(impl_->scan(kThread, thread_member_prefix(t), [&](std::string_view rest, std::string_view) {
    out.emplace_back(rest);
    return true;
  }));
  return out;
}

Result<std::uint64_t> MessageStore::thread_size(ThreadId t) const {
  auto v = impl_->get(kThread, "n" + internal::be64(t));
  FOLIO_TRY(v);
  if (!v.value() || v.value()->size() != 8) return std::uint64_t{0};
  return internal::get_be64(*v.value());
}

Result<std::optional<ThreadId>> MessageStore::thread_alias(ThreadId t) const {
  auto v = impl_->get(kThread, "a" + internal::be64(t));
  FOLIO_TRY(v);
  if (!v.value() || v.value()->size() != 8) return std::optional<ThreadId>{};
  return std::optional<ThreadId>(internal::get_be64(*v.value()));
}

Result<std::uint64_t> MessageStore::counter(std::string_view name) const {
  auto v = impl_->get(kDefault, std::string(name));
  FOLIO_TRY(v);
  if (!v.value() || v.value()->size() != 8) return std::uint64_t{0};
  return internal::get_be64(*v.value());
}

Status MessageStore::for_each_change(std::uint64_t after,
                                     const std::function<bool(std::uint64_t, DocId)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf(kChanges)));
  for (it->Seek(internal::be64(after + 1)); it->Valid(); it->Next()) {
    if (it->key().size() != 8 || it->value().size() != 8) continue;
    auto seq = internal::get_be64(std::string_view(it->key().data(), 8));
    auto d = static_cast<DocId>(internal::get_be64(std::string_view(it->value().data(), 8)));
    if (!fn(seq, d)) break;
  }
  if (!it->status().ok()) return to_error(it->status(), "store scan");
  return {};
}

Status MessageStore::for_each_meta(const std::function<bool(const StoredMeta&)>& fn) const {
  Status failure;
  FOLIO_TRY(impl_->scan(kMeta, "", [&](std::string_view key, std::string_view value) {
    if (key.size() != 8) return true;
    auto m = decode_meta(static_cast<DocId>(internal::get_be64(key)), value);
    if (!m.ok()) {
      failure = m.error();
      return false;
    }
    return fn(m.value());
  }));
  return failure;
}

Status MessageStore::copy_to(const std::filesystem::path& dir) const {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) return Err(Code::kInvalidArgument, dir.string() + " already exists");
  auto target = MessageStore::open(dir, StoreMode::kReadWrite);
  FOLIO_TRY(target);
  // A secondary's view only moves on catch_up(), and a writer's view is
  // pinned by a snapshot: either way every family is read as of one moment.
  const bool secondary = !impl_->secondary_dir.empty();
  const rocksdb::Snapshot* snap = secondary ? nullptr : impl_->db->GetSnapshot();
  rocksdb::ReadOptions ro;
  ro.snapshot = snap;
  Status result;
  for (int f = 0; f < kFamilyCount && result.ok(); ++f) {
    std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(ro, impl_->cf(f)));
    rocksdb::WriteBatch wb;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      wb.Put(target.value()->impl_->cf(f), it->key(), it->value());
      if (wb.GetDataSize() > (8u << 20)) {
        auto s = target.value()->impl_->db->Write(rocksdb::WriteOptions(), &wb);
        if (!s.ok()) result = to_error(s, "backup write");
        wb.Clear();
      }
    }
    if (!it->status().ok()) result = to_error(it->status(), "backup read");
    auto s = target.value()->impl_->db->Write(rocksdb::WriteOptions(), &wb);
    if (!s.ok() && result.ok()) result = to_error(s, "backup write");
  }
  if (snap) impl_->db->ReleaseSnapshot(snap);
  FOLIO_TRY(result);
  auto flushed = target.value()->impl_->db->Flush(rocksdb::FlushOptions(), target.value()->impl_->families);
  if (!flushed.ok()) return to_error(flushed, "backup flush");
  return target.value()->sync();
}

std::uint64_t MessageStore::disk_bytes() const {
  std::uint64_t total = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(impl_->dir, ec)) {
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  }
  return total;
}

}  // namespace folio::index
