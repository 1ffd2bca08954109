// archive_writer.cc: dedupe, cross-posts, threading, store and index writes for one message.
#include "index/archive_writer.h"

#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <set>

#include "index/internal/file_util.h"
#include "index/schema.h"
#include "index/threader.h"

namespace folio::index {

using model::Code;
using model::Err;
using model::Result;
using model::Status;

namespace {

constexpr const char* kNextDocId = "next_docid";
constexpr const char* kNextSeq = "seq";
constexpr const char* kNextThread = "next_thread";
constexpr std::int64_t kFutureSlack = 2 * 24 * 3600;

Hash128 to_hash(XXH128_hash_t h) {
  Hash128 out{};
  for (int i = 0; i < 8; ++i) {
    out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(h.high64 >> (56 - 8 * i));
    out[static_cast<std::size_t>(8 + i)] = static_cast<std::uint8_t>(h.low64 >> (56 - 8 * i));
  }
  return out;
}

Hash128 raw_hash(std::string_view raw) { return to_hash(XXH3_128bits(raw.data(), raw.size())); }

// Drops leading "[list] ", "Re: ", "Fwd: " and "AW: " markers.
std::string_view bare_subject(std::string_view s) {
  for (;;) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    if (!s.empty() && s.front() == '[') {
      auto close = s.find(']');
      if (close == std::string_view::npos) break;
      s.remove_prefix(close + 1);
      continue;
    }
    bool stripped = false;
    for (std::string_view p : {"re:", "fwd:", "fw:", "aw:"}) {
      if (s.size() >= p.size() &&
          std::equal(p.begin(), p.end(), s.begin(), [](char a, char b) {
            return a == (b >= 'A' && b <= 'Z' ? b + 32 : b);
          })) {
        s.remove_prefix(p.size());
        stripped = true;
        break;
      }
    }
    if (!stripped) break;
  }
  return s;
}

// The body without a Mailman footer (a line of underscores near the end) and trailing space.
std::string_view bare_body(std::string_view body) {
  auto footer = body.rfind("\n_______________");
  if (footer != std::string_view::npos && body.size() - footer < 1024) body = body.substr(0, footer);
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back()))) body.remove_suffix(1);
  return body;
}

std::string synthetic_id(const Hash128& key) {
  return "folio." + hex(key).substr(0, 24) + "@folio.invalid";
}

std::vector<std::string> parents_of(const model::ParsedMessage& m) {
  std::vector<std::string> p = m.references;
  if (!m.in_reply_to.empty()) {
    p.erase(std::remove(p.begin(), p.end(), m.in_reply_to), p.end());
    p.push_back(m.in_reply_to);  // In-Reply-To is the direct parent
  }
  p.erase(std::remove(p.begin(), p.end(), m.message_id), p.end());
  return p;
}

std::int64_t system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Status rebuild_from_store(const MessageStore& store, DocId docid, const ParseFn& parse,
                          const model::ParseLimits& limits, DocumentBuilder& builder, XapianWriter& out) {
  auto meta = store.meta(docid);
  if (!meta.ok() && meta.error().code == Code::kNotFound) return out.remove(docid);
  FOLIO_TRY(meta);
  auto raw = store.raw(docid);
  FOLIO_TRY(raw);
  auto parsed = parse(raw.value(), (meta->flags & kFlagPipermail) != 0, limits);
  model::ParsedMessage m;
  if (parsed.ok()) m = std::move(parsed.value());  // unparseable: indexed by its metadata
  m.message_id = meta->message_id;
  Xapian::Document doc = builder.build(m);
  apply_meta(doc, meta.value(), MetaMode::kFresh);
  return out.put(docid, std::move(doc));
}

Hash128 content_key(const model::ParsedMessage& m) {
  XXH3_state_t* state = XXH3_createState();
  XXH3_128bits_reset(state);
  auto add = [&](std::string_view s) {
    XXH3_128bits_update(state, s.data(), s.size());
    XXH3_128bits_update(state, "\0", 1);
  };
  add(m.message_id);
  std::string from = m.from.addr;
  for (auto& c : from) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  add(from);
  add(m.date_present ? std::to_string(m.date) : std::string());
  add(bare_subject(m.subject));
  for (const auto& r : m.references) add(r);
  add(m.in_reply_to);
  add(bare_body(m.body));
  Hash128 out = to_hash(XXH3_128bits_digest(state));
  XXH3_freeState(state);
  return out;
}

struct ArchiveWriter::Impl {
  ArchiveWriterOptions options;
  Home home{""};
  std::uint64_t generation = 0;
  std::unique_ptr<MessageStore> store;
  std::unique_ptr<XapianWriter> index;
  std::uint64_t next_docid = 0;  // last used
  std::uint64_t seq = 0;         // last used
  ThreadId next_thread = 0;      // last used
  std::uint64_t uncommitted = 0;

  void save_counters(StoreBatch& batch) const {
    batch.set_counter(kNextDocId, next_docid);
    batch.set_counter(kNextSeq, seq);
    batch.set_counter(kNextThread, next_thread);
  }

  bool date_is_bad(const model::ParsedMessage& m) const {
    if (!m.date_present || m.date < 0) return true;
    return m.date > options.now() + kFutureSlack;
  }

  mutable std::mutex limits_mu;  // guards options.limits (prepare runs on many threads)

  model::ParseLimits current_limits() const {
    std::lock_guard lock(limits_mu);
    return options.limits;
  }

  // False for a docid whose message was taken down.
  bool stored(DocId docid) const { return store->meta(docid).ok(); }

  // True when CURRENT names another generation than the one being written.
  Result<bool> swapped() const {
    auto gen = home.current_generation();
    FOLIO_TRY(gen);
    return gen.value() != generation;
  }

  // The live generation has readers: let those of older revisions finish.
  std::optional<ReaderGate> gate() const {
    if (options.reader_wait.count() <= 0) return std::nullopt;
    return ReaderGate{home, options.reader_wait};
  }

  // Reopens the index when CURRENT names another generation (after a reindex).
  Status follow_current() {
    auto gen = home.current_generation();
    FOLIO_TRY(gen);
    if (gen.value() == generation) return {};
    index.reset();
    auto next = XapianWriter::open(home.generation_dir(gen.value()), options.durability, gate());
    FOLIO_TRY(next);
    index = std::move(next.value());
    generation = gen.value();
    return {};
  }

  // Re-reads the index document for `meta` and applies the store's view.
  Status reapply_meta(const StoredMeta& meta) {
    return index->update(meta.docid, [&](Xapian::Document& doc) { apply_meta(doc, meta, MetaMode::kUpdate); });
  }

  Result<Outcome> add_list(DocId docid, const std::string& list, const Hash128* new_raw_hash) {
    auto meta = store->meta(docid);
    FOLIO_TRY(meta);
    Outcome out;
    out.docid = docid;
    StoreBatch batch;
    if (new_raw_hash) batch.map_raw_hash(*new_raw_hash, docid);
    if (std::find(meta->lists.begin(), meta->lists.end(), list) != meta->lists.end()) {
      out.kind = OutcomeKind::kDuplicate;
      if (!batch.empty()) FOLIO_TRY(store->write(batch));
      return out;
    }
    out.kind = OutcomeKind::kCrossPost;
    meta->lists.push_back(list);
    std::sort(meta->lists.begin(), meta->lists.end());
    batch.put_meta(meta.value());
    batch.log_change(++seq, docid);
    save_counters(batch);
    FOLIO_TRY(store->write(batch));
    FOLIO_TRY(reapply_meta(meta.value()));
    ++uncommitted;
    return out;
  }

  // Moves the stored messages among `moved` ids into `thread`.
  Status retag(const std::vector<std::string>& moved, ThreadId thread, StoreBatch& batch,
               std::vector<StoredMeta>& changed) {
    for (const auto& id : moved) {
      auto docids = store->docids_for_message_id(id);
      FOLIO_TRY(docids);
      for (DocId d : docids.value()) {
        auto meta = store->meta(d);
        FOLIO_TRY(meta);
        meta->thread = thread;
        batch.put_meta(meta.value());
        batch.log_change(++seq, d);
        changed.push_back(std::move(meta.value()));
      }
    }
    return {};
  }

  Result<Outcome> add_new(Prepared& p) {
    model::ParsedMessage& m = p.message;
    auto same_id = store->docids_for_message_id(m.message_id);
    FOLIO_TRY(same_id);
    StoredMeta meta;
    meta.docid = static_cast<DocId>(++next_docid);
    meta.message_id = m.message_id;
    meta.lists = {p.in.list};
    meta.date = m.date_present ? m.date : 0;
    meta.arrival = p.in.arrival;
    meta.content_key = p.content_key;
    meta.raw_size = p.in.raw.size();
    meta.parents = parents_of(m);
    if (date_is_bad(m)) meta.flags |= kFlagBadDate;
    if (m.truncated) meta.flags |= kFlagTruncated;
    if (!m.problems.empty()) meta.flags |= kFlagMalformed;
    if (p.in.pipermail) meta.flags |= kFlagPipermail;
    if (m.message_id.rfind("folio.", 0) == 0 && m.message_id.ends_with("@folio.invalid")) {
      meta.flags |= kFlagSyntheticId;
    }

    StoreBatch batch;
    Threader threader(*store);
    auto placement = threader.place(meta.message_id, meta.parents, next_thread, batch);
    FOLIO_TRY(placement);
    meta.thread = placement->thread;
    std::vector<StoredMeta> changed;
    FOLIO_TRY(retag(placement->moved, meta.thread, batch, changed));

    batch.put_raw(meta.docid, p.in.raw);
    batch.put_meta(meta);
    batch.map_message_id(meta.message_id, meta.docid);
    batch.map_raw_hash(p.raw_hash, meta.docid);
    batch.map_content_key(p.content_key, meta.docid);
    batch.log_change(++seq, meta.docid);
    save_counters(batch);
    FOLIO_TRY(store->write(batch));

    apply_meta(p.doc, meta, MetaMode::kFresh);
    FOLIO_TRY(index->put(meta.docid, std::move(p.doc)));
    for (const auto& c : changed) FOLIO_TRY(reapply_meta(c));
    uncommitted += 1 + changed.size();

    Outcome out;
    out.kind = OutcomeKind::kNew;
    out.docid = meta.docid;
    out.malformed = !m.problems.empty();
    out.variant = !same_id->empty();
    return out;
  }

  // Rebuilds the index document of `docid` from the store.
  Status rebuild(DocId docid, DocumentBuilder& builder) {
    return rebuild_from_store(*store, docid, options.parse, current_limits(), builder, *index);
  }
};

ArchiveWriter::ArchiveWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ArchiveWriter::~ArchiveWriter() = default;

Result<std::unique_ptr<ArchiveWriter>> ArchiveWriter::open(const Home& home,
                                                           ArchiveWriterOptions options) {
  if (!options.now) options.now = system_now;
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  auto gen = home.current_generation();
  FOLIO_TRY(gen);
  auto store = MessageStore::open(home.store_dir(), StoreMode::kReadWrite);
  FOLIO_TRY(store);
  impl->store = std::move(store.value());
  impl->home = home;
  auto index = XapianWriter::open(home.generation_dir(gen.value()), impl->options.durability, impl->gate());
  FOLIO_TRY(index);
  impl->index = std::move(index.value());
  impl->generation = gen.value();
  for (auto [name, field] : {std::pair{kNextDocId, &impl->next_docid}, std::pair{kNextSeq, &impl->seq},
                             std::pair{kNextThread, &impl->next_thread}}) {
    auto v = impl->store->counter(name);
    FOLIO_TRY(v);
    *field = v.value();
  }
  return std::unique_ptr<ArchiveWriter>(new ArchiveWriter(std::move(impl)));
}

Prepared ArchiveWriter::prepare(Incoming in, DocumentBuilder& builder) const {
  Prepared p;
  p.in = std::move(in);
  if (!p.in.remove_id.empty()) return p;  // a takedown: nothing to prepare
  p.raw_hash = raw_hash(p.in.raw);
  auto known = impl_->store->find_raw_hash(p.raw_hash);
  if (known.ok() && known.value() && impl_->stored(*known.value())) {
    p.known_raw = true;  // most likely a duplicate: the writer checks again
    return p;
  }
  const model::ParseLimits limits = impl_->current_limits();
  if (p.in.raw.size() > limits.max_message_bytes) {
    p.refused = "message of " + std::to_string(p.in.raw.size()) + " bytes is over the limit of " +
                std::to_string(limits.max_message_bytes) + " (limits.max_message_bytes)";
    return p;
  }
  auto parsed = impl_->options.parse(p.in.raw, p.in.pipermail, limits);
  if (!parsed.ok()) {
    p.refused = parsed.error().message;
    return p;
  }
  p.message = std::move(parsed.value());
  p.content_key = content_key(p.message);
  if (p.message.message_id.empty()) p.message.message_id = synthetic_id(p.content_key);
  p.doc = builder.build(p.message);
  p.parsed = true;
  return p;
}

Result<Outcome> ArchiveWriter::write(Prepared&& p) {
  auto& impl = *impl_;
  if (!p.in.remove_id.empty()) {
    auto n = remove(p.in.remove_id, p.in.remove_reason);
    FOLIO_TRY(n);
    Outcome out;
    out.kind = OutcomeKind::kRemoved;
    out.removed = n.value();
    return out;
  }
  auto by_raw = impl.store->find_raw_hash(p.raw_hash);
  FOLIO_TRY(by_raw);
  if (by_raw.value() && impl.stored(*by_raw.value())) return impl.add_list(*by_raw.value(), p.in.list, nullptr);
  if (!p.parsed && p.refused.empty() && p.known_raw) {
    // Prepared as a known message that has since gone (a removal): prepare afresh.
    DocumentBuilder builder(impl.options.document);
    Prepared again = prepare(std::move(p.in), builder);
    if (again.known_raw) return Err(Code::kInternal, "message vanished and came back while writing");
    return write(std::move(again));
  }
  if (!p.refused.empty()) {
    Outcome out;
    out.kind = OutcomeKind::kRefused;
    out.reason = p.refused;
    return out;
  }
  auto tomb = impl.store->is_tombstoned(p.message.message_id);
  FOLIO_TRY(tomb);
  if (tomb.value()) {
    Outcome out;
    out.kind = OutcomeKind::kTombstoned;
    out.reason = "<" + p.message.message_id + "> was taken down";
    return out;
  }
  auto by_content = impl.store->find_content_key(p.content_key);
  FOLIO_TRY(by_content);
  if (by_content.value() && impl.stored(*by_content.value())) {
    return impl.add_list(*by_content.value(), p.in.list, &p.raw_hash);
  }
  return impl.add_new(p);
}

Status ArchiveWriter::commit() {
  FOLIO_TRY(impl_->store->sync());
  // After a reindex swapped generations, what this writer wrote since its
  // last commit is in the store's change log: the new generation gets it by
  // replay and the old one is left uncommitted (it may already be deleted).
  if (auto swapped = impl_->swapped(); swapped.ok() && swapped.value()) return follow_and_repair();
  Status committed = impl_->index->commit(impl_->seq);
  if (!committed.ok()) {
    auto swapped = impl_->swapped();
    if (swapped.ok() && swapped.value()) return follow_and_repair();
    return committed;
  }
  impl_->uncommitted = 0;
  return {};
}

Status ArchiveWriter::follow_and_repair() {
  FOLIO_TRY(impl_->follow_current());
  auto replayed = repair();
  FOLIO_TRY(replayed);
  impl_->uncommitted = 0;
  return {};
}

Status ArchiveWriter::rebuild_documents(const std::vector<DocId>& docids) {
  DocumentBuilder builder(impl_->options.document);
  for (DocId d : docids) FOLIO_TRY(impl_->rebuild(d, builder));
  impl_->uncommitted += docids.size();
  return {};
}

std::uint64_t ArchiveWriter::generation() const { return impl_->generation; }

Result<std::size_t> ArchiveWriter::remove(const std::string& message_id, const std::string& reason) {
  auto& impl = *impl_;
  auto docids = impl.store->docids_for_message_id(message_id);
  FOLIO_TRY(docids);
  StoreBatch batch;
  std::vector<DocId> gone;
  for (DocId d : docids.value()) {
    if (!impl.stored(d)) continue;
    batch.delete_message(d);
    batch.unmap_message_id(message_id, d);
    batch.log_change(++impl.seq, d);
    gone.push_back(d);
  }
  batch.put_tombstone(message_id, std::to_string(impl.options.now()) + " " + reason);
  impl.save_counters(batch);
  FOLIO_TRY(impl.store->write(batch));
  for (DocId d : gone) FOLIO_TRY(impl.index->remove(d));
  impl.uncommitted += gone.size() + 1;
  return gone.size();
}

std::uint64_t ArchiveWriter::uncommitted() const { return impl_->uncommitted; }

Status ArchiveWriter::sync_index() {
  FOLIO_TRY(commit());
  return internal::fsync_tree(impl_->home.generation_dir(impl_->generation));
}

Result<std::uint64_t> ArchiveWriter::repair() {
  auto& impl = *impl_;
  std::uint64_t from = impl.index->indexed_seq();
  if (from >= impl.seq) return std::uint64_t{0};
  std::set<DocId> todo;
  FOLIO_TRY(impl.store->for_each_change(from, [&](std::uint64_t, DocId d) {
    todo.insert(d);
    return true;
  }));
  DocumentBuilder builder(impl.options.document);
  for (DocId d : todo) FOLIO_TRY(impl.rebuild(d, builder));
  FOLIO_TRY(commit());
  return static_cast<std::uint64_t>(todo.size());
}

const MessageStore& ArchiveWriter::store() const { return *impl_->store; }

void ArchiveWriter::set_limits(const model::ParseLimits& limits) {
  std::lock_guard lock(impl_->limits_mu);
  impl_->options.limits = limits;
}

const DocumentOptions& ArchiveWriter::document_options() const { return impl_->options.document; }

}  // namespace folio::index
