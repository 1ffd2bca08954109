// service.cc: dispatch (route, auth, scope) and the per-worker request run.
#include "api/http/service.h"

#include <atomic>
#include <ctime>
#include <iostream>
#include <optional>
#include <thread>
#include <vector>

#include "api/http/auth.h"
#include "api/http/hit_cache.h"
#include "api/http/live_config.h"
#include "api/http/metrics.h"
#include "api/http/request_target.h"
#include "api/http/router.h"
#include "api/http/worker_pool.h"

namespace folio::api::http {

using model::Result;
using Clock = std::chrono::steady_clock;

namespace {

// What one worker thread owns: Xapian objects are not shared between threads.
struct WorkerState {
  explicit WorkerState(const index::Home& home) : probe(home) {}
  std::unique_ptr<query::Searcher> searcher;
  std::unique_ptr<query::QueryParser> parser;
  query::IndexVersionProbe probe;
};

// Everything a queued request carries to its worker.
struct Job {
  Request request;
  Route route;
  ConfigSnapshot config;
  std::vector<std::string> grants;
  query::AccessScope scope;
  std::string scope_key;
  Clock::time_point enqueued;
};

// The part of the cache budget that indexes answers by request target.
std::size_t hit_share(const ServiceOptions& o) { return o.cache_fresh.count() ? o.cache_bytes / 4 : 0; }

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

Response unauthorized(const std::string& why) {
  Response r = error_response(401, "unauthorized", why);
  r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

Response text_response(std::string body, std::string type) {
  Response r;
  r.content_type = std::move(type);
  r.body = std::move(body);
  return r;
}

}  // namespace

struct Service::Impl {
  ServiceOptions options;
  index::Home home;
  index::SearchSettings settings;  // from the config at start: the searchers' bounds
  std::unique_ptr<LiveConfig> config;
  Authenticator auth;
  query::ResultCache cache;
  HitCache hits;  // the I/O thread's view of `cache`
  RawStore raw;
  Metrics metrics;
  std::atomic<bool> ready{true};
  std::atomic<std::uint64_t> generation{0}, revision{0}, connections{0};
  std::atomic<std::int64_t> changed_at{0};
  std::vector<std::unique_ptr<WorkerState>> workers;  // [i] used only by worker thread i
  std::unique_ptr<WorkerPool> pool;                   // last: stopped before the rest goes

  Impl(const ServiceOptions& o, std::unique_ptr<LiveConfig> c)
      : options(o), home(o.home), settings(c->current()->search), config(std::move(c)),
        auth(o.jwt_secret), cache(o.cache_bytes - hit_share(o)), hits(hit_share(o), o.cache_fresh),
        raw(home.store_dir()) {}

  void dispatch(Request request, Done done);
  Response answer_inline(Endpoint endpoint);
  std::optional<Response> cached_answer(const Request& request, const Job& job, Clock::time_point start);
  Response run(std::size_t worker, const Job& job);
  void next_piece(std::shared_ptr<BodyStream> stream, PieceDone done);
  Piece make_piece(std::size_t worker, BodyStream& stream);
  Result<query::IndexVersion> prepare(WorkerState& w);
  Response handle(const Job& job, HandlerContext& ctx);
  void note_version(const query::IndexVersion& v);
  MetricsSnapshot snapshot() const;
};

void Service::Impl::dispatch(Request request, Done done) {
  auto start = Clock::now();
  metrics.begin_request();
  auto endpoint = std::make_shared<Endpoint>(Endpoint::kOther);
  auto finish = [this, start, endpoint, done = std::move(done)](Response r) {
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    metrics.observe(*endpoint, r.status, seconds);
    metrics.end_request();
    done(std::move(r));
  };
  if (!allowed_method(request.method)) {
    Response r = error_response(405, "method_not_allowed", "only GET and HEAD are allowed");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return finish(std::move(r));
  }
  auto target = parse_target(request.target);
  if (!target.ok()) return finish(error_response(target.error()));
  request.segments = std::move(target->segments);
  request.params = std::move(target->params);
  Route route = http::route(request.segments);
  *endpoint = route.endpoint;
  if (route.endpoint == Endpoint::kOther) return finish(not_found_response());
  if (runs_inline(route.endpoint)) return finish(answer_inline(route.endpoint));
  auto grants = auth.grants(request.authorization, static_cast<std::int64_t>(std::time(nullptr)));
  if (!grants.ok()) return finish(unauthorized(grants.error().message));
  auto job = std::make_shared<Job>();
  job->config = config->snapshot();
  job->scope = query::AccessScope::for_grants(*job->config.config, *grants);
  job->scope_key = job->scope.key();
  job->grants = std::move(*grants);
  if (route.endpoint == Endpoint::kSearch) {
    if (auto hit = cached_answer(request, *job, start)) return finish(std::move(*hit));
  }
  job->request = std::move(request);
  job->route = std::move(route);
  job->enqueued = Clock::now();
  auto shared_finish = std::make_shared<decltype(finish)>(std::move(finish));
  bool queued = pool->try_submit([this, job, shared_finish](std::size_t worker) {
    (*shared_finish)(run(worker, *job));
  });
  if (!queued) {
    metrics.overloaded();
    (*shared_finish)(overloaded_response(503, "the server is busy; retry shortly"));
  }
}

Response Service::Impl::answer_inline(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::kHealth:
      return text_response("{\"status\":\"ok\"}", "application/json");
    case Endpoint::kReady:
      if (!ready) return overloaded_response(503, "the index is not available");
      return text_response("{\"status\":\"ready\"}", "application/json");
    case Endpoint::kMetrics:
      return text_response(metrics.render(snapshot()), "text/plain; version=0.0.4");
    case Endpoint::kOpenApi:
      return text_response(openapi_document(), "application/json");
    default:
      return not_found_response();
  }
}

std::optional<Response> Service::Impl::cached_answer(const Request& request, const Job& job,
                                                     Clock::time_point start) {
  auto version = hits.fresh_version(start);
  if (!version) return std::nullopt;
  auto tail = hits.find(request.target, job.scope_key, job.config.generation, *version);
  if (!tail) return std::nullopt;
  Response r;
  r.body = HitCache::with_timing(*tail, ms_since(start));
  return r;
}

Result<query::IndexVersion> Service::Impl::prepare(WorkerState& w) {
  // The version first, then the refresh: the answer is never older than its key.
  auto version = w.probe.read();
  if (!version.ok()) return version.error();
  if (!w.searcher) {
    auto s = query::Searcher::open(home, settings);
    if (!s.ok()) return s.error();
    w.searcher = std::move(s.value());
  } else {
    FOLIO_TRY(w.searcher->refresh());
  }
  if (!w.parser) w.parser = std::make_unique<query::QueryParser>(query::QueryLimits::from(settings));
  return version;
}

void Service::Impl::note_version(const query::IndexVersion& v) {
  std::uint64_t old_gen = generation.exchange(v.generation);
  std::uint64_t old_rev = revision.exchange(v.revision);
  if (old_gen != v.generation || old_rev != v.revision || changed_at == 0) {
    changed_at = static_cast<std::int64_t>(std::time(nullptr));
  }
}

Response Service::Impl::run(std::size_t worker, const Job& job) {
  if (Clock::now() - job.enqueued > options.max_queue_wait) {
    metrics.overloaded();
    return overloaded_response(503, "the request waited too long for a worker; retry shortly");
  }
  WorkerState& w = *workers[worker];
  auto read_at = Clock::now();
  auto version = prepare(w);
  if (!version.ok()) {
    ready = false;
    std::cerr << "folio serve: index not available: " << version.error().to_string() << "\n";
    return overloaded_response(503, "the index is not available");
  }
  ready = true;
  note_version(*version);
  hits.note_version(*version, read_at);
  HandlerContext ctx{*job.config.config, job.scope, *w.searcher, *w.parser, *version,
                     cache, raw, options.exports, job.grants};
  try {
    Response r = handle(job, ctx);
    if (job.route.endpoint == Endpoint::kSearch && r.status == 200) {
      hits.remember(job.request.target, job.scope_key, job.config.generation, *version, r.body);
    }
    return r;
  } catch (const std::exception& e) {
    std::cerr << "folio serve: request failed: " << e.what() << "\n";
    return error_response(500, "internal", "internal error");
  }
}

void Service::Impl::next_piece(std::shared_ptr<BodyStream> stream, PieceDone done) {
  auto shared_done = std::make_shared<PieceDone>(std::move(done));
  bool queued = pool->submit_admitted([this, stream, shared_done](std::size_t worker) {
    (*shared_done)(make_piece(worker, *stream));
  });
  if (!queued) (*shared_done)(Piece{{}, false, true});
}

Service::Piece Service::Impl::make_piece(std::size_t worker, BodyStream& stream) {
  Piece piece;
  WorkerState& w = *workers[worker];
  auto version = prepare(w);
  if (!version.ok()) {
    std::cerr << "folio serve: export cut short: " << version.error().to_string() << "\n";
    piece.failed = true;
    return piece;
  }
  auto cfg = config->current();
  auto scope = query::AccessScope::for_grants(*cfg, stream.grants());
  HandlerContext ctx{*cfg, scope, *w.searcher, *w.parser, *version, cache, raw, options.exports, stream.grants()};
  try {
    while (piece.bytes.empty() && !piece.last) {
      auto more = stream.next(ctx, piece.bytes);
      if (!more.ok()) {
        std::cerr << "folio serve: export cut short: " << more.error().to_string() << "\n";
        piece.failed = true;
        return piece;
      }
      piece.last = !*more && piece.bytes.empty();
    }
  } catch (const std::exception& e) {
    std::cerr << "folio serve: export cut short: " << e.what() << "\n";
    piece.failed = true;
  }
  return piece;
}

Response Service::Impl::handle(const Job& job, HandlerContext& ctx) {
  switch (job.route.endpoint) {
    case Endpoint::kSearch: return handle_search(job.request, ctx);
    case Endpoint::kMessage: return handle_message(job.route.id, ctx);
    case Endpoint::kRaw: return handle_raw(job.route.id, ctx);
    case Endpoint::kThread: return handle_thread(job.route.id, ctx);
    case Endpoint::kLists: return handle_lists(ctx);
    case Endpoint::kMbox: return handle_mbox(job.request, ctx);
    case Endpoint::kAtom: return handle_atom(job.request, ctx);
    default: return not_found_response();
  }
}

MetricsSnapshot Service::Impl::snapshot() const {
  MetricsSnapshot s;
  query::CacheStats c = cache.stats();
  query::CacheStats h = hits.stats();
  s.cache_fast_hits = hits.hits();
  s.cache_hits = c.hits + s.cache_fast_hits;
  s.cache_misses = c.misses;
  s.cache_shared = c.shared;
  s.cache_evictions = c.evictions + h.evictions;
  s.cache_entries = c.entries + h.entries;
  s.cache_bytes = c.bytes + h.bytes;
  s.cache_max_bytes = c.max_bytes + h.max_bytes;
  s.index_generation = generation;
  s.index_revision = revision;
  s.index_changed_at = changed_at;
  s.queue_depth = pool->queued();
  s.queue_capacity = pool->capacity();
  s.workers_busy = pool->busy();
  s.workers = pool->threads();
  s.connections = connections;
  s.config_reloads = config->reloads();
  s.config_reload_errors = config->reload_errors();
  s.ready = ready;
  return s;
}

Service::Service(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Service::~Service() { stop(); }

Result<std::unique_ptr<Service>> Service::open(const ServiceOptions& options) {
  index::Home home(options.home);
  auto config = LiveConfig::open(home.config_file());
  if (!config.ok()) return config.error();
  auto impl = std::make_unique<Impl>(options, std::move(config.value()));
  std::size_t n = options.workers ? options.workers : std::max(2u, std::thread::hardware_concurrency());
  for (std::size_t i = 0; i < n; ++i) impl->workers.push_back(std::make_unique<WorkerState>(home));
  // Fail at start, not at the first request, when the index cannot be opened.
  auto first = query::Searcher::open(home, impl->settings);
  if (!first.ok()) return first.error();
  impl->workers[0]->searcher = std::move(first.value());
  std::size_t capacity = options.queue_capacity ? options.queue_capacity : 16 * n;
  impl->pool = std::make_unique<WorkerPool>(n, capacity);
  return std::unique_ptr<Service>(new Service(std::move(impl)));
}

void Service::dispatch(Request request, Done done) {
  try {
    impl_->dispatch(std::move(request), std::move(done));
  } catch (const std::exception& e) {
    // Only before `done` ran: every path above calls it last.
    std::cerr << "folio serve: dispatch failed: " << e.what() << "\n";
  }
}

void Service::next_piece(std::shared_ptr<BodyStream> stream, PieceDone done) {
  impl_->next_piece(std::move(stream), std::move(done));
}

model::Status Service::reload_config() { return impl_->config->reload(); }

void Service::stop() {
  if (impl_ && impl_->pool) impl_->pool->stop();
}

void Service::connection_opened() { ++impl_->connections; }
void Service::connection_closed() { --impl_->connections; }

}  // namespace folio::api::http
