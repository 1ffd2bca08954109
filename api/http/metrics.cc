// metrics.cc: counting and the Prometheus text format.
#include "api/http/metrics.h"

#include <cstdio>

namespace folio::api::http {

namespace {

constexpr std::array<std::string_view, kEndpointCount> kNames{
    "search", "message", "raw",   "thread", "lists",   "mbox",
    "atom",   "openapi", "healthz", "readyz", "metrics", "other"};

void line(std::string& out, std::string_view name, std::string_view labels, double value) {
  char num[64];
  std::snprintf(num, sizeof num, "%.17g", value);
  out += name;
  if (!labels.empty()) {
    out += '{';
    out += labels;
    out += '}';
  }
  out += ' ';
  out += num;
  out += '\n';
}

void help(std::string& out, std::string_view name, std::string_view type, std::string_view text) {
  out += "# HELP " + std::string(name) + " " + std::string(text) + "\n";
  out += "# TYPE " + std::string(name) + " " + std::string(type) + "\n";
}

std::string endpoint_label(std::size_t i) { return "endpoint=\"" + std::string(kNames[i]) + "\""; }

}  // namespace

std::string_view endpoint_name(Endpoint e) { return kNames[static_cast<std::size_t>(e)]; }

void Metrics::observe(Endpoint endpoint, unsigned status, double seconds) {
  auto i = static_cast<std::size_t>(endpoint);
  Histogram& h = latency_[i];
  for (std::size_t b = 0; b < kBuckets.size(); ++b) {
    if (seconds <= kBuckets[b]) ++h.buckets[b];
  }
  ++h.count;
  h.sum_us += static_cast<std::uint64_t>(seconds * 1e6);
  for (std::size_t k = 0; k < kCommonStatuses.size(); ++k) {
    if (kCommonStatuses[k] == status) {
      ++common_[i][k];  // no lock on the hot path
      return;
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{endpoint, status}];
}

void Metrics::render_requests(std::string& out) const {
  help(out, "folio_http_requests_total", "counter", "Requests answered, by endpoint and status.");
  std::map<std::pair<Endpoint, unsigned>, std::uint64_t> all;
  for (std::size_t i = 0; i < kEndpointCount; ++i) {
    for (std::size_t k = 0; k < kCommonStatuses.size(); ++k) {
      if (std::uint64_t n = common_[i][k]) all[{static_cast<Endpoint>(i), kCommonStatuses[k]}] = n;
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [key, n] : requests_) all[key] = n;
  }
  for (const auto& [key, n] : all) {
    std::string labels = endpoint_label(static_cast<std::size_t>(key.first)) + ",status=\"" +
                         std::to_string(key.second) + "\"";
    line(out, "folio_http_requests_total", labels, static_cast<double>(n));
  }
}

void Metrics::render_latency(std::string& out) const {
  help(out, "folio_http_request_duration_seconds", "histogram", "Time from request read to response ready.");
  for (std::size_t i = 0; i < kEndpointCount; ++i) {
    const Histogram& h = latency_[i];
    std::string ep = endpoint_label(i);
    for (std::size_t b = 0; b < kBuckets.size(); ++b) {
      char le[32];
      std::snprintf(le, sizeof le, "%g", kBuckets[b]);
      line(out, "folio_http_request_duration_seconds_bucket", ep + ",le=\"" + le + "\"",
           static_cast<double>(h.buckets[b].load()));
    }
    line(out, "folio_http_request_duration_seconds_bucket", ep + ",le=\"+Inf\"",
         static_cast<double>(h.count.load()));
    line(out, "folio_http_request_duration_seconds_sum", ep, static_cast<double>(h.sum_us.load()) / 1e6);
    line(out, "folio_http_request_duration_seconds_count", ep, static_cast<double>(h.count.load()));
  }
}

std::string Metrics::render(const MetricsSnapshot& s) const {
  std::string out;
  render_requests(out);
  render_latency(out);
  struct Gauge {
    std::string_view name, type, text;
    double value;
  };
  const Gauge gauges[] = {
      {"folio_http_in_flight_requests", "gauge", "Requests being answered.", double(in_flight_.load())},
      {"folio_http_connections", "gauge", "Open client connections.", double(s.connections)},
      {"folio_http_rejected_overload_total", "counter", "Requests refused with 503 because the worker queue was full.",
       double(rejected_overload_.load())},
      {"folio_worker_queue_depth", "gauge", "Requests waiting for a worker.", double(s.queue_depth)},
      {"folio_worker_queue_capacity", "gauge", "Most requests that may wait for a worker.", double(s.queue_capacity)},
      {"folio_workers_busy", "gauge", "Worker threads running a request.", double(s.workers_busy)},
      {"folio_workers", "gauge", "Worker threads.", double(s.workers)},
      {"folio_cache_hits_total", "counter", "Result cache hits.", double(s.cache_hits)},
      {"folio_cache_fast_hits_total", "counter", "Cache hits answered without a worker (part of the hits).",
       double(s.cache_fast_hits)},
      {"folio_cache_misses_total", "counter", "Result cache misses that ran the query.", double(s.cache_misses)},
      {"folio_cache_shared_total", "counter", "Misses answered by an identical running query.", double(s.cache_shared)},
      {"folio_cache_evictions_total", "counter", "Result cache evictions.", double(s.cache_evictions)},
      {"folio_cache_entries", "gauge", "Result cache entries.", double(s.cache_entries)},
      {"folio_cache_bytes", "gauge", "Result cache charged bytes.", double(s.cache_bytes)},
      {"folio_cache_max_bytes", "gauge", "Result cache bound in bytes.", double(s.cache_max_bytes)},
      {"folio_index_generation", "gauge", "Live index generation.", double(s.index_generation)},
      {"folio_index_revision", "gauge", "Xapian revision being served.", double(s.index_revision)},
      {"folio_index_changed_timestamp_seconds", "gauge",
       "When this server first saw the current index revision (age = time() - this).",
       double(s.index_changed_at)},
      {"folio_config_reloads_total", "counter", "Config reloads.", double(s.config_reloads)},
      {"folio_config_reload_errors_total", "counter", "Config reloads that failed (old config kept).",
       double(s.config_reload_errors)},
      {"folio_ready", "gauge", "1 when the index is open and answering.", s.ready ? 1.0 : 0.0},
  };
  for (const auto& g : gauges) {
    help(out, g.name, g.type, g.text);
    line(out, g.name, "", g.value);
  }
  return out;
}

}  // namespace folio::api::http
