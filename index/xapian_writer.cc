// xapian_writer.cc: one WritableDatabase per shard, each driven by its own thread.
#include "index/xapian_writer.h"

#include <pthread.h>

#include <atomic>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>

#include "index/generation.h"
#include "index/reader_board.h"
#include "index/schema.h"

namespace folio::index {

using model::Code;
using model::Err;
using model::Result;
using model::Status;

model::Error xapian_error(const Xapian::Error& e, const std::string& what) {
  Code code = Code::kInternal;
  const std::string type = e.get_type();
  if (type == "DatabaseLockError") code = Code::kBusy;
  if (type == "DatabaseCorruptError") code = Code::kCorruption;
  if (type == "DatabaseOpeningError" || type == "DatabaseError") code = Code::kIOError;
  if (type == "DatabaseNotFoundError") code = Code::kNotFound;
  if (type == "QueryParserError" || type == "InvalidArgumentError") code = Code::kInvalidArgument;
  return Err(code, what + ": " + type + ": " + e.get_msg());
}

namespace {

constexpr std::size_t kShardQueue = 256;

// One shard: its database and the thread that alone touches it. Tasks run in
// order; after the first failure the database is no longer touched (tasks
// get nullptr) and every later call returns that failure.
class Shard {
 public:
  using Task = std::function<void(Xapian::WritableDatabase*)>;

  Shard(Xapian::WritableDatabase db, std::uint64_t seq) : db_(std::move(db)), seq_(seq) {
    thread_ = std::thread([this] { run(); });
  }

  ~Shard() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
    try {
      db_.close();  // cancels the open transaction: only commit() publishes
    } catch (const Xapian::Error&) {
    }
  }

  // Queues `task`, blocking while the queue is full. Returns the latched error, if any.
  Status post(Task task) {
    std::unique_lock lock(mu_);
    space_.wait(lock, [&] { return tasks_.size() < kShardQueue || failed_; });
    if (failed_) return error_;
    tasks_.push_back(std::move(task));
    cv_.notify_one();
    return {};
  }

  // Runs `task` on the shard thread and waits for it.
  Status call(const std::function<void(Xapian::WritableDatabase&)>& task) {
    std::promise<void> done;
    auto finished = done.get_future();
    FOLIO_TRY(post([&](Xapian::WritableDatabase* db) {
      struct Signal {
        std::promise<void>& p;
        ~Signal() { p.set_value(); }
      } signal{done};
      if (db) task(*db);
    }));
    finished.wait();
    std::lock_guard lock(mu_);
    if (failed_) return error_;
    return {};
  }

  std::uint64_t seq() const { return seq_.load(); }
  void set_seq(std::uint64_t s) { seq_.store(s); }

 private:
  void run() {
    pthread_setname_np(pthread_self(), "folio-shard");
    for (;;) {
      Task task;
      bool failed = false;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return !tasks_.empty() || stopping_; });
        if (tasks_.empty()) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
        failed = failed_;
      }
      space_.notify_all();
      try {
        task(failed ? nullptr : &db_);
      } catch (const Xapian::Error& e) {
        latch(xapian_error(e, "index shard"));
      } catch (const std::exception& e) {
        latch(Err(Code::kInternal, std::string("index shard: ") + e.what()));
      }
    }
  }

  void latch(model::Error e) {
    std::lock_guard lock(mu_);
    if (!failed_) {
      failed_ = true;
      error_ = std::move(e);
    }
    space_.notify_all();
  }

  Xapian::WritableDatabase db_;
  std::atomic<std::uint64_t> seq_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable space_;
  std::deque<Task> tasks_;
  bool stopping_ = false;
  bool failed_ = false;
  model::Error error_;
  std::thread thread_;
};

}  // namespace

struct XapianWriter::Impl {
  std::vector<std::unique_ptr<Shard>> shards;
  std::optional<ReaderGate> gate;
  std::mutex gate_mu;
  std::int64_t settle_before_ns = 0;  // readers that opened before this may be on an older revision

  std::size_t n() const { return shards.size(); }
  Shard& shard_for(DocId d) { return *shards[shard_of(d, n())]; }

  // Before a write: lets older readers finish (once per revision being built).
  void settle() {
    if (!gate) return;
    std::lock_guard lock(gate_mu);
    if (settle_before_ns == 0) return;
    wait_for_readers(gate->home, settle_before_ns, gate->max_wait);
    settle_before_ns = 0;
  }

  // After a commit: the next write may reuse blocks of revisions older than it.
  void committed() {
    if (!gate) return;
    std::lock_guard lock(gate_mu);
    settle_before_ns = reader_clock_ns();
  }
};

XapianWriter::XapianWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XapianWriter::~XapianWriter() = default;

Result<std::unique_ptr<XapianWriter>> XapianWriter::open(const std::filesystem::path& dir,
                                                         Durability durability,
                                                         std::optional<ReaderGate> gate) {
  auto paths = generation_shards(dir);
  FOLIO_TRY(paths);
  int flags = Xapian::DB_CREATE_OR_OPEN;
  if (durability == Durability::kNoSync) flags |= Xapian::DB_NO_SYNC;
  auto impl = std::make_unique<Impl>();
  impl->gate = std::move(gate);
  impl->committed();  // readers that opened before now may be a revision behind
  for (const auto& path : paths.value()) {
    try {
      Xapian::WritableDatabase db(path.string(), flags);
      // A shard that never held a document will hold only documents with
      // date period terms (apply_meta adds them): readers may rely on them.
      if (db.get_lastdocid() == 0 && db.get_metadata(kDateTermsKey).empty()) db.set_metadata(kDateTermsKey, "1");
      std::string seq = db.get_metadata(kIndexedSeqKey);
      std::uint64_t s = seq.empty() ? 0 : std::stoull(seq);
      db.begin_transaction(/*flushed=*/true);
      impl->shards.push_back(std::make_unique<Shard>(std::move(db), s));
    } catch (const Xapian::Error& e) {
      return xapian_error(e, "cannot open the index at " + path.string());
    } catch (const std::exception& e) {
      return Err(Code::kCorruption, "index at " + path.string() + ": bad sequence: " + e.what());
    }
  }
  return std::unique_ptr<XapianWriter>(new XapianWriter(std::move(impl)));
}

Status XapianWriter::put(DocId docid, Xapian::Document&& doc) {
  impl_->settle();
  DocId local = local_docid(docid, impl_->n());
  auto owned = std::make_shared<Xapian::Document>(std::move(doc));
  return impl_->shard_for(docid).post([local, owned](Xapian::WritableDatabase* db) {
    if (db) db->replace_document(local, *owned);
  });
}

Status XapianWriter::update(DocId docid, const std::function<void(Xapian::Document&)>& edit) {
  impl_->settle();
  DocId local = local_docid(docid, impl_->n());
  return impl_->shard_for(docid).call([&](Xapian::WritableDatabase& db) {
    Xapian::Document doc;
    try {
      doc = db.get_document(local);
    } catch (const Xapian::DocNotFoundError&) {
      return;
    }
    edit(doc);
    db.replace_document(local, doc);
  });
}

Status XapianWriter::remove(DocId docid) {
  impl_->settle();
  DocId local = local_docid(docid, impl_->n());
  return impl_->shard_for(docid).post([local](Xapian::WritableDatabase* db) {
    if (!db) return;
    try {
      db->delete_document(local);
    } catch (const Xapian::DocNotFoundError&) {
    }
  });
}

Status XapianWriter::commit(std::uint64_t store_seq) {
  impl_->settle();  // the commit writes too
  std::string now = std::to_string(std::time(nullptr));
  std::vector<std::future<Status>> pending;
  for (auto& shard : impl_->shards) {
    pending.push_back(std::async(std::launch::async, [&shard, store_seq, now] {
      return shard->call([&](Xapian::WritableDatabase& db) {
        db.set_metadata(kIndexedSeqKey, std::to_string(store_seq));
        db.set_metadata(kCommittedAtKey, now);
        db.commit_transaction();
        db.begin_transaction(/*flushed=*/true);
        shard->set_seq(store_seq);
      });
    }));
  }
  Status first;
  for (auto& f : pending) {
    Status s = f.get();
    if (!s.ok() && first.ok()) first = s;
  }
  if (first.ok()) impl_->committed();
  return first;
}

std::uint64_t XapianWriter::indexed_seq() const {
  std::uint64_t seq = UINT64_MAX;
  for (const auto& s : impl_->shards) seq = std::min(seq, s->seq());
  return seq;
}

std::uint64_t XapianWriter::doc_count() const {
  std::uint64_t total = 0;
  for (const auto& s : impl_->shards) {
    (void)s->call([&](Xapian::WritableDatabase& db) { total += db.get_doccount(); });
  }
  return total;
}

}  // namespace folio::index
