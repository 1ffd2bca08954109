// reindex.cc: parallel rebuild from the store, catch-up from the change log, atomic swap.
#include "index/reindex.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "index/generation.h"
#include "index/internal/file_util.h"
#include "index/message_store.h"
#include "index/xapian_writer.h"

namespace folio::index {

using model::Code;
using model::Err;
using model::Result;
using model::Status;

namespace {

constexpr int kCatchUpRounds = 5;

bool wanted(const StoredMeta& m, const ReindexOptions& o) {
  if (!o.list.empty() && std::find(m.lists.begin(), m.lists.end(), o.list) == m.lists.end()) return false;
  if (o.since > 0 && m.effective_date() < o.since) return false;
  return true;
}

// Builds the documents of `docids` on `threads` threads into `out`.
class ParallelBuilder {
 public:
  ParallelBuilder(const MessageStore& store, XapianWriter& out, const ReindexOptions& o)
      : store_(store), out_(out), options_(o) {}

  Status run(const std::vector<DocId>& docids) {
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < std::max<std::size_t>(1, options_.threads); ++t) {
      threads.emplace_back([&] { work(docids, next); });
    }
    for (auto& t : threads) t.join();
    std::lock_guard lock(mu_);
    return failure_;
  }

 private:
  void work(const std::vector<DocId>& docids, std::atomic<std::size_t>& next) {
    DocumentBuilder builder(options_.document);
    for (std::size_t i = next++; i < docids.size(); i = next++) {
      Status s = build_one(docids[i], builder);
      if (!s.ok()) {
        std::lock_guard lock(mu_);
        if (failure_.ok()) failure_ = s;
        return;
      }
      std::uint64_t n = ++done_;
      if (options_.progress && n % 500 == 0) {
        std::lock_guard lock(mu_);
        options_.progress(n, docids.size());
      }
    }
  }

  Status build_one(DocId docid, DocumentBuilder& builder) {
    return rebuild_from_store(store_, docid, options_.parse, options_.limits, builder, out_);
  }

  const MessageStore& store_;
  XapianWriter& out_;
  const ReindexOptions& options_;
  std::mutex mu_;
  Status failure_;
  std::atomic<std::uint64_t> done_{0};
};

Result<std::vector<DocId>> select(const MessageStore& store, const ReindexOptions& o) {
  std::vector<DocId> docids;
  if (o.copy_only) return docids;
  FOLIO_TRY(store.for_each_meta([&](const StoredMeta& m) {
    if (wanted(m, o)) docids.push_back(m.docid);
    return true;
  }));
  return docids;
}

// Replays changes after `seq` until the store stops moving; returns the new seq.
Result<std::uint64_t> catch_up(MessageStore& store, XapianWriter& out, const ReindexOptions& o,
                               std::uint64_t seq, std::uint64_t& replayed) {
  for (int round = 0; round < kCatchUpRounds; ++round) {
    FOLIO_TRY(store.catch_up());
    auto head = store.counter("seq");
    FOLIO_TRY(head);
    std::set<DocId> changed;
    FOLIO_TRY(store.for_each_change(seq, [&](std::uint64_t s, DocId d) {
      if (s <= head.value()) changed.insert(d);
      return true;
    }));
    std::vector<DocId> todo(changed.begin(), changed.end());
    ParallelBuilder builder(store, out, o);
    FOLIO_TRY(builder.run(todo));
    FOLIO_TRY(out.commit(head.value()));
    replayed += todo.size();
    seq = head.value();
    if (todo.empty()) break;
  }
  return seq;
}

// Builds `docids` into `out`, committing every o.commit_every messages with
// `seq` (the store sequence the build started from).
Status build_full(MessageStore& store, XapianWriter& out, const ReindexOptions& o,
                  const std::vector<DocId>& docids, std::uint64_t seq) {
  const std::size_t every = std::max<std::size_t>(1, o.commit_every);
  for (std::size_t start = 0; start < docids.size(); start += every) {
    std::vector<DocId> slice(docids.begin() + static_cast<std::ptrdiff_t>(start),
                             docids.begin() + static_cast<std::ptrdiff_t>(std::min(docids.size(), start + every)));
    ParallelBuilder builder(store, out, o);
    FOLIO_TRY(builder.run(slice));
    // Small commits keep Xapian's in-memory inverter small, which costs
    // less CPU per message than one large flush (docs/benchmarks.md).
    FOLIO_TRY(out.commit(seq));
  }
  return {};
}

Status compact_in_place(const std::filesystem::path& dir) {
  auto tmp = dir.string() + ".compacting";
  std::error_code ec;
  std::filesystem::remove_all(tmp, ec);
  FOLIO_TRY(copy_generation_compacted(dir, tmp));
  std::filesystem::remove_all(dir, ec);
  std::filesystem::rename(tmp, dir, ec);
  if (ec) return Err(Code::kIOError, "cannot move the compacted index into place: " + ec.message());
  return {};
}

}  // namespace

Result<ReindexSummary> reindex(const Home& home, const ReindexOptions& o) {
  auto live = home.current_generation();
  FOLIO_TRY(live);
  auto gens = list_generations(home);
  ReindexSummary summary;
  summary.generation = (gens.empty() ? live.value() : std::max(gens.back(), live.value())) + 1;
  // A half-built generation from an interrupted run is thrown away.
  remove_old_generations(home, live.value());
  auto dir = home.generation_dir(summary.generation);

  auto store = MessageStore::open(home.store_dir(), StoreMode::kSecondary);
  FOLIO_TRY(store);
  auto& s = *store.value();
  FOLIO_TRY(s.catch_up());
  std::uint64_t seq = 0;
  bool full = o.list.empty() && o.since == 0 && !o.copy_only;
  if (full) {
    FOLIO_TRY(create_generation(dir, o.shards));
    auto head = s.counter("seq");
    FOLIO_TRY(head);
    seq = head.value();
  } else {
    auto live_seq = generation_seq(home.generation_dir(live.value()));
    FOLIO_TRY(live_seq);
    seq = live_seq.value();
    FOLIO_TRY(copy_generation_compacted(home.generation_dir(live.value()), dir));
  }
  auto docids = select(s, o);
  FOLIO_TRY(docids);
  {
    // Unsynced while building; the whole generation is synced once below.
    auto out = XapianWriter::open(dir, Durability::kNoSync);
    FOLIO_TRY(out);
    FOLIO_TRY(build_full(s, *out.value(), o, docids.value(), seq));
    FOLIO_TRY(out.value()->commit(seq));
    summary.reindexed = docids->size();
  }
  FOLIO_TRY(internal::fsync_tree(dir));
  if (o.compact) FOLIO_TRY(compact_in_place(dir));
  {
    auto out = XapianWriter::open(dir, Durability::kSync);
    FOLIO_TRY(out);
    auto caught = catch_up(s, *out.value(), o, seq, summary.caught_up);
    FOLIO_TRY(caught);
    summary.documents = out.value()->doc_count();
  }
  FOLIO_TRY(home.set_current_generation(summary.generation));
  if (o.grace_seconds > 0) std::this_thread::sleep_for(std::chrono::seconds(o.grace_seconds));
  remove_old_generations(home, summary.generation);
  return summary;
}

}  // namespace folio::index
