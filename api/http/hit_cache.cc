// hit_cache.cc: the target-keyed answer index, the freshness window and the answer head.
#include "api/http/hit_cache.h"

#include <cctype>
#include <algorithm>
#include <cstdio>

namespace folio::api::http {

namespace {

constexpr std::string_view kTookHead = "{\"took_ms\":";
constexpr std::string_view kCachedTrue = ",\"cached\":true";
constexpr std::string_view kCachedFalse = ",\"cached\":false";

}  // namespace

HitCache::HitCache(std::size_t max_bytes, std::chrono::milliseconds fresh) : fresh_(fresh), cache_(max_bytes) {}

void HitCache::note_version(const query::IndexVersion& version, Clock::time_point read_at) {
  // Generations and the revisions within one only grow, and a read returns
  // at least the version current when it started: the largest version seen
  // is at least the one current at the latest start, whatever order the
  // reads finish in.
  std::lock_guard<std::mutex> lock(mu_);
  auto newer = [](const query::IndexVersion& a, const query::IndexVersion& b) {
    return a.generation != b.generation ? a.generation > b.generation : a.revision > b.revision;
  };
  if (newer(version, version_)) version_ = version;
  read_at_ = std::max(read_at_, read_at);
}

std::optional<query::IndexVersion> HitCache::fresh_version(Clock::time_point now) const {
  if (fresh_.count() == 0) return std::nullopt;
  std::lock_guard<std::mutex> lock(mu_);
  if (read_at_ == Clock::time_point{} || now - read_at_ >= fresh_) return std::nullopt;
  return version_;
}

std::string HitCache::key(std::string_view target, std::string_view scope, std::uint64_t config_gen,
                          const query::IndexVersion& version) {
  std::string k;
  k.reserve(target.size() + scope.size() + 48);
  k += std::to_string(target.size());
  k += ':';
  k += target;
  k += std::to_string(scope.size());
  k += ':';
  k += scope;
  k += std::to_string(config_gen) + '/' + std::to_string(version.generation) + '.' +
       std::to_string(version.revision);
  return k;
}

std::shared_ptr<const std::string> HitCache::find(std::string_view target, std::string_view scope,
                                                  std::uint64_t config_gen, const query::IndexVersion& version) {
  auto found = cache_.find(key(target, scope, config_gen, version));
  if (found) ++hits_;
  return found;
}

void HitCache::remember(std::string_view target, std::string_view scope, std::uint64_t config_gen,
                        const query::IndexVersion& version, const std::string& body) {
  auto tail = split_timing(body);
  if (!tail) return;
  // Through get_or_compute: it inserts when absent and keeps the byte bound.
  (void)cache_.get_or_compute(key(target, scope, config_gen, version),
                              [&]() -> model::Result<std::string> { return std::move(*tail); });
}

std::optional<std::string> HitCache::split_timing(std::string_view body) {
  if (body.substr(0, kTookHead.size()) != kTookHead) return std::nullopt;
  std::size_t pos = kTookHead.size();
  while (pos < body.size() && (std::isdigit(static_cast<unsigned char>(body[pos])) || body[pos] == '.')) ++pos;
  std::string_view rest = body.substr(pos);
  for (std::string_view flag : {kCachedTrue, kCachedFalse}) {
    if (rest.substr(0, flag.size()) == flag) {
      rest.remove_prefix(flag.size());
      if (rest.empty() || (rest.front() != ',' && rest.front() != '}')) return std::nullopt;
      return std::string(rest);
    }
  }
  return std::nullopt;
}

std::string HitCache::with_timing(std::string_view tail, double took_ms) {
  char head[64];
  int n = std::snprintf(head, sizeof head, "{\"took_ms\":%.3f,\"cached\":true", took_ms);
  std::string out;
  out.reserve(static_cast<std::size_t>(n) + tail.size());
  out.append(head, static_cast<std::size_t>(n));
  out += tail;
  return out;
}

}  // namespace folio::api::http
