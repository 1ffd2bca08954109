// worker_pool.h: WorkerPool, a fixed set of threads with a bounded queue, for blocking (Xapian, RocksDB) work.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace folio::api::http {

// Runs jobs on `threads` threads. A job gets the index of the thread that
// runs it (0 .. threads-1), so callers can keep per-thread state (one
// Searcher per thread) in a vector indexed by it.
//
// The queue holds at most `capacity` waiting jobs; try_submit refuses more
// (the caller answers 503), so memory stays bounded under overload. A job
// must not throw; one that does is caught and dropped, and the thread goes
// on. Thread-safe.
class WorkerPool {
 public:
  using Job = std::function<void(std::size_t worker)>;

  WorkerPool(std::size_t threads, std::size_t capacity);
  // Runs the jobs still queued, then joins (as stop()).
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `job`; false when the queue is full or the pool is stopping.
  bool try_submit(Job job);
  // Queues `job` even when the queue is full (the next step of work already
  // admitted; the caller bounds how many it has queued). False when stopping.
  bool submit_admitted(Job job);

  // Refuses new jobs, runs those queued, joins the threads. Idempotent.
  void stop();

  std::size_t queued() const;
  std::size_t busy() const;
  std::size_t threads() const { return threads_.size(); }
  std::size_t capacity() const { return capacity_; }

 private:
  void run(std::size_t worker);

  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;  // guarded by mu_
  std::size_t busy_ = 0;   // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace folio::api::http
