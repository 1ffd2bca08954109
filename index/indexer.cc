// indexer.cc: worker threads, an ordered hand-off and the writer thread.
#include "index/indexer.h"

#include <pthread.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

namespace folio::index {

using model::Code;
using model::Err;
using model::Result;
using model::Status;

namespace {

struct Job {
  std::uint64_t ticket = 0;
  Incoming message;
  CommittedFn done;
};

struct Ready {
  Prepared prepared;
  CommittedFn done;
};

struct Pending {
  Outcome outcome;
  CommittedFn done;
};

}  // namespace

struct Indexer::Impl {
  ArchiveWriter& writer;
  IndexerOptions options;

  std::mutex mu;
  std::condition_variable cv_jobs;    // workers wait for jobs
  std::condition_variable cv_ready;   // writer waits for the next ticket
  std::condition_variable cv_space;   // add() waits for room
  std::deque<Job> jobs;
  std::map<std::uint64_t, Ready> ready;
  std::uint64_t next_ticket = 0;
  std::uint64_t next_write = 0;
  bool closing = false;
  model::Error error;
  bool failed = false;

  std::vector<std::thread> workers;
  std::thread writer_thread;
  std::atomic<std::uint64_t> written{0};
  IngestSummary summary;  // owned by the writer thread until finish()
  std::vector<Pending> pending;
  std::chrono::steady_clock::time_point last_commit{};  // the clock's epoch: long ago

  Impl(ArchiveWriter& w, IndexerOptions o) : writer(w), options(o) {}

  std::size_t in_flight() const { return jobs.size() + ready.size(); }

  void latch(const model::Error& e) {
    std::lock_guard lock(mu);
    if (!failed) {
      failed = true;
      error = e;
    }
    cv_space.notify_all();
    cv_jobs.notify_all();
    cv_ready.notify_all();
  }

  void worker_loop() {
    pthread_setname_np(pthread_self(), "folio-parse");
    DocumentBuilder builder(writer.document_options());
    for (;;) {
      Job job;
      {
        std::unique_lock lock(mu);
        cv_jobs.wait(lock, [&] { return !jobs.empty() || closing || failed; });
        if (jobs.empty()) return;
        job = std::move(jobs.front());
        jobs.pop_front();
      }
      Ready r;
      try {
        r.prepared = writer.prepare(std::move(job.message), builder);
      } catch (const std::exception& e) {
        r.prepared.refused = std::string("internal error while parsing: ") + e.what();
      }
      r.done = std::move(job.done);
      std::lock_guard lock(mu);
      ready.emplace(job.ticket, std::move(r));
      cv_ready.notify_all();
    }
  }

  void count(const Outcome& o, const std::string& origin) {
    ++summary.seen;
    switch (o.kind) {
      case OutcomeKind::kNew: ++summary.new_messages; break;
      case OutcomeKind::kDuplicate: ++summary.duplicates; break;
      case OutcomeKind::kCrossPost: ++summary.cross_posts; break;
      case OutcomeKind::kTombstoned: ++summary.tombstoned; break;
      case OutcomeKind::kRemoved: summary.removed += o.removed; break;
      case OutcomeKind::kRefused:
        ++summary.refused;
        if (summary.refusals.size() < 20) summary.refusals.push_back(origin + ": " + o.reason);
        break;
    }
    if (o.malformed) ++summary.malformed;
    if (o.variant) ++summary.variants;
  }

  Status commit() {
    FOLIO_TRY(writer.commit());
    last_commit = std::chrono::steady_clock::now();
    for (auto& p : pending) {
      if (p.done) p.done(p.outcome);
    }
    pending.clear();
    return {};
  }

  bool commit_due() const {
    if (pending.empty()) return false;
    if (writer.uncommitted() >= options.batch_messages) return true;
    if (options.commit_interval_ms == 0) return false;
    return std::chrono::steady_clock::now() >= next_commit_at();
  }

  // When commit_interval_ms allows the next commit.
  std::chrono::steady_clock::time_point next_commit_at() const {
    return last_commit + std::chrono::milliseconds(options.commit_interval_ms);
  }

  Status write_one(Ready&& r) {
    std::string origin = r.prepared.in.origin;
    auto outcome = writer.write(std::move(r.prepared));
    FOLIO_TRY(outcome);
    count(outcome.value(), origin);
    pending.push_back(Pending{outcome.value(), std::move(r.done)});
    written.fetch_add(1, std::memory_order_relaxed);
    if (commit_due()) FOLIO_TRY(commit());
    return {};
  }

  // Takes the next ready message in ticket order; false when done.
  bool next_ready(Ready& out) {
    std::unique_lock lock(mu);
    for (;;) {
      if (failed) return false;
      auto it = ready.find(next_write);
      if (it != ready.end()) {
        out = std::move(it->second);
        ready.erase(it);
        ++next_write;
        cv_space.notify_all();
        return true;
      }
      if (closing && next_write == next_ticket) return false;
      if (options.commit_interval_ms > 0 && !pending.empty()) {
        if (commit_due()) {
          lock.unlock();
          if (auto s = commit(); !s.ok()) {
            latch(s.error());
            return false;
          }
          lock.lock();
          continue;  // what became ready during the commit is taken before any wait
        }
        cv_ready.wait_until(lock, next_commit_at());
      } else {
        cv_ready.wait(lock);
      }
    }
  }

  void writer_loop() {
    pthread_setname_np(pthread_self(), "folio-writer");
    try {
      Ready r;
      while (next_ready(r)) {
        if (auto s = write_one(std::move(r)); !s.ok()) {
          latch(s.error());
          return;
        }
      }
      if (!failed) {
        if (auto s = commit(); !s.ok()) latch(s.error());
      }
    } catch (const std::exception& e) {
      latch(Err(Code::kInternal, std::string("indexer writer: ") + e.what()));
    }
  }

  void stop_threads() {
    {
      std::lock_guard lock(mu);
      closing = true;
    }
    cv_jobs.notify_all();
    cv_ready.notify_all();
    for (auto& t : workers) {
      if (t.joinable()) t.join();
    }
    if (writer_thread.joinable()) writer_thread.join();
  }
};

Indexer::Indexer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Indexer::~Indexer() {
  if (impl_) impl_->stop_threads();
}

Result<std::unique_ptr<Indexer>> Indexer::start(ArchiveWriter& writer, IndexerOptions options) {
  if (options.threads == 0) options.threads = std::max(1u, std::thread::hardware_concurrency());
  if (options.batch_messages == 0) options.batch_messages = 1;
  if (options.queue_capacity < options.threads * 2) options.queue_capacity = options.threads * 2;
  auto impl = std::make_unique<Impl>(writer, options);
  for (std::size_t i = 0; i < options.threads; ++i) {
    impl->workers.emplace_back([p = impl.get()] { p->worker_loop(); });
  }
  impl->writer_thread = std::thread([p = impl.get()] { p->writer_loop(); });
  return std::unique_ptr<Indexer>(new Indexer(std::move(impl)));
}

Status Indexer::add(Incoming message, CommittedFn done) {
  auto& impl = *impl_;
  std::unique_lock lock(impl.mu);
  impl.cv_space.wait(lock, [&] { return impl.failed || impl.in_flight() < impl.options.queue_capacity; });
  if (impl.failed) return impl.error;
  if (impl.closing) return Err(Code::kInternal, "indexer already finished");
  impl.jobs.push_back(Job{impl.next_ticket++, std::move(message), std::move(done)});
  impl.cv_jobs.notify_one();
  return {};
}

Result<IngestSummary> Indexer::finish() {
  impl_->stop_threads();
  if (impl_->failed) return impl_->error;
  return impl_->summary;
}

std::uint64_t Indexer::written() const { return impl_->written.load(std::memory_order_relaxed); }

}  // namespace folio::index
