// service.h: Service, the HTTP application without the sockets: routing, auth, workers, cache, metrics.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "api/http/handlers.h"
#include "api/http/http_types.h"
#include "index/model/result.h"

namespace folio::api::http {

struct ServiceOptions {
  std::filesystem::path home;
  std::size_t workers = 0;         // threads for index work; 0 = hardware threads (at least 2)
  std::size_t queue_capacity = 0;  // requests waiting for a worker; 0 = 16 per worker
  std::size_t cache_bytes = 64u << 20;
  std::string jwt_secret;          // "" = every token is refused (anonymous still works)
  // A request that waited this long for a worker is answered 503 instead
  // of being run (the client has likely given up).
  std::chrono::milliseconds max_queue_wait{5000};
  // A repeated search is answered from the cache on the calling (I/O)
  // thread when a worker read the index revision less than this long ago
  // (see HitCache); 0 sends every request to a worker.
  std::chrono::milliseconds cache_fresh{50};
  // A streamed answer (search.mbox) that is not complete after this long is cut off.
  std::chrono::seconds export_time_limit{600};
  ExportLimits exports;
};

// Answers Requests. Thread-safe: dispatch() is called from the I/O threads.
// Index work runs on a bounded WorkerPool, one Searcher per worker thread
// (refreshed before each request, so commits are visible at once). Cheap
// endpoints, refusals (404 path, 405, 401) and repeated searches whose
// answer is cached at a freshly checked index revision are answered on the
// calling thread. No exception escapes dispatch() or a worker.
class Service {
 public:
  // Opens the home (its config and live index must be readable) and starts
  // the workers. kNotFound when the home is not initialised.
  static model::Result<std::unique_ptr<Service>> open(const ServiceOptions& options);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  using Done = std::function<void(Response)>;

  // Answers `request`, calling `done` exactly once, on this thread or on a
  // worker. Full queue: 503 with Retry-After.
  void dispatch(Request request, Done done);

  // One piece of a streamed body (Response::stream).
  struct Piece {
    std::string bytes;    // the next bytes, never empty unless `last` or `failed`
    bool last = false;    // the body is complete
    bool failed = false;  // the body must be cut short (an error, or the service is stopping)
  };
  using PieceDone = std::function<void(Piece)>;

  // Makes the next non-empty piece of `stream` on a worker and calls `done`
  // once with it, on that worker (on this thread when the service is
  // stopping). Ask for the pieces of one stream one at a time. Pieces are
  // queued even when the request queue is full: a started answer is finished.
  void next_piece(std::shared_ptr<BodyStream> stream, PieceDone done);

  // Reloads the config now (SIGHUP). On error the old config stays.
  model::Status reload_config();

  // Refuses new index work, finishes what is queued, joins the workers.
  void stop();

  // Connections open in the server (for /metrics).
  void connection_opened();
  void connection_closed();

 private:
  struct Impl;
  explicit Service(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace folio::api::http
