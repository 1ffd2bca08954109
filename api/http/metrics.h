// metrics.h: Metrics, request counters and latency histograms per endpoint, rendered as Prometheus text.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace folio::api::http {

// The endpoints, as metric labels.
enum class Endpoint {
  kSearch,
  kMessage,
  kRaw,
  kThread,
  kLists,
  kMbox,
  kAtom,
  kOpenApi,
  kHealth,
  kReady,
  kMetrics,
  kOther,  // unknown paths, refused requests
};
inline constexpr std::size_t kEndpointCount = 12;

std::string_view endpoint_name(Endpoint e);

// Gauges and counters owned elsewhere, read when /metrics is rendered.
struct MetricsSnapshot {
  std::uint64_t cache_fast_hits = 0;  // hits answered on the I/O thread (part of cache_hits)
  std::uint64_t cache_hits = 0, cache_misses = 0, cache_shared = 0, cache_evictions = 0;
  std::uint64_t cache_entries = 0, cache_bytes = 0, cache_max_bytes = 0;
  std::uint64_t index_generation = 0, index_revision = 0;
  std::int64_t index_changed_at = 0;  // when this server first saw the current revision (epoch s)
  std::uint64_t queue_depth = 0, queue_capacity = 0, workers_busy = 0, workers = 0;
  std::uint64_t connections = 0;
  std::uint64_t config_reloads = 0, config_reload_errors = 0;
  bool ready = false;
};

// Thread-safe counters: one observe() per answered request.
class Metrics {
 public:
  // Histogram bucket upper bounds, seconds.
  static constexpr std::array<double, 12> kBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                    0.1,   0.25,   0.5,   1.0,  2.5,   5.0};

  void observe(Endpoint endpoint, unsigned status, double seconds);

  // In-flight requests (read and not yet answered).
  void begin_request() { ++in_flight_; }
  void end_request() { --in_flight_; }
  void overloaded() { ++rejected_overload_; }

  // The Prometheus text exposition (version 0.0.4).
  std::string render(const MetricsSnapshot& s) const;

 private:
  struct Histogram {
    std::array<std::atomic<std::uint64_t>, kBuckets.size()> buckets{};
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_us{0};
  };

  void render_requests(std::string& out) const;
  void render_latency(std::string& out) const;

  // Statuses counted without a lock; others go to requests_.
  static constexpr std::array<unsigned, 9> kCommonStatuses{200, 400, 401, 404, 405, 413, 431, 500, 503};

  std::array<Histogram, kEndpointCount> latency_;
  std::array<std::array<std::atomic<std::uint64_t>, kCommonStatuses.size()>, kEndpointCount> common_{};
  mutable std::mutex mu_;
  std::map<std::pair<Endpoint, unsigned>, std::uint64_t> requests_;  // guarded by mu_; other statuses
  std::atomic<std::int64_t> in_flight_{0};
  std::atomic<std::uint64_t> rejected_overload_{0};
};

}  // namespace folio::api::http
