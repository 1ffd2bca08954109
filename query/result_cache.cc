// result_cache.cc: the shared LRU with single flight, and the index version probe that keys it.
#include "query/result_cache.h"

#include "index/generation.h"

#include <condition_variable>
#include <filesystem>
#include <list>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "query/internal/xapian_guard.h"

namespace folio::query {

using model::Result;

// ---- IndexVersionProbe ----------------------------------------------------

struct IndexVersionProbe::Impl {
  index::Home home;
  std::vector<Xapian::Database> shards;  // one per shard: a stub's combined database has no revision
  std::uint64_t generation = 0;

  explicit Impl(index::Home h) : home(std::move(h)) {}

  // Opens the shards of `gen`; false when the generation holds no database yet.
  Result<bool> open(std::uint64_t gen) {
    shards.clear();
    std::filesystem::path dir = home.generation_dir(gen);
    std::error_code ec;
    // As the Searcher does: an empty generation directory has no database yet.
    if (std::filesystem::is_directory(dir, ec) && std::filesystem::is_empty(dir, ec)) return false;
    auto paths = index::generation_shards(dir);
    if (!paths.ok()) return paths.error();
    for (const auto& p : paths.value()) shards.emplace_back(p.string());
    generation = gen;
    return true;
  }

  Result<IndexVersion> read() {
    auto gen = home.current_generation();
    if (!gen.ok()) return gen.error();
    return internal::xapian_guard([&]() -> Result<IndexVersion> {
      if (shards.empty() || generation != *gen) {
        auto opened = open(*gen);
        if (!opened.ok()) return opened.error();
        if (!opened.value()) return IndexVersion{*gen, 0};
      } else {
        for (auto& db : shards) db.reopen();
      }
      std::uint64_t revision = 0;
      for (auto& db : shards) revision += db.get_revision();
      return IndexVersion{*gen, revision};
    });
  }
};

IndexVersionProbe::IndexVersionProbe(index::Home home) : impl_(std::make_unique<Impl>(std::move(home))) {}
IndexVersionProbe::~IndexVersionProbe() = default;

Result<IndexVersion> IndexVersionProbe::read() { return impl_->read(); }

// ---- CacheKey -------------------------------------------------------------

std::string CacheKey::str() const {
  std::string out;
  out.reserve(request.size() + scope.size() + 64);
  for (const std::string* part : {&request, &scope}) {
    out += std::to_string(part->size());
    out += ':';
    out += *part;
  }
  out += std::to_string(version.generation);
  out += '.';
  out += std::to_string(version.revision);
  return out;
}

// ---- ResultCache ----------------------------------------------------------

namespace {

struct Entry {
  std::string key;
  std::shared_ptr<const std::string> value;
  std::size_t charge = 0;
};

// One computation that identical concurrent misses wait for.
struct Flight {
  bool done = false;
  std::optional<Result<std::shared_ptr<const std::string>>> result;
  std::condition_variable cv;
};

}  // namespace

struct ResultCache::Impl {
  std::size_t max_bytes;
  mutable std::mutex mu;
  std::list<Entry> lru;  // front = most recently used
  std::unordered_map<std::string, std::list<Entry>::iterator> index;
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights;
  CacheStats stats;

  explicit Impl(std::size_t max) : max_bytes(max) { stats.max_bytes = max; }

  // REQUIRES: mu held.
  std::shared_ptr<const std::string> find_locked(const std::string& key) {
    auto it = index.find(key);
    if (it == index.end()) return nullptr;
    lru.splice(lru.begin(), lru, it->second);
    return it->second->value;
  }

  // REQUIRES: mu held.
  void evict_one() {
    Entry& victim = lru.back();
    stats.bytes -= victim.charge;
    index.erase(victim.key);
    lru.pop_back();
    ++stats.evictions;
  }

  // REQUIRES: mu held.
  void insert_locked(const std::string& key, std::shared_ptr<const std::string> value) {
    // The key is held twice (the list entry and the index); the value's
    // whole allocation counts, not just its size.
    std::size_t charge = 2 * key.size() + value->capacity() + kEntryOverhead;
    if (charge > max_bytes / 8 || index.count(key)) return;
    while (!lru.empty() && stats.bytes + charge > max_bytes) evict_one();
    lru.push_front(Entry{key, std::move(value), charge});
    index.emplace(key, lru.begin());
    stats.bytes += charge;
  }

  // Runs compute as the flight's leader and hands the result to its waiters.
  Result<std::shared_ptr<const std::string>> lead(const std::string& key,
                                                  const std::shared_ptr<Flight>& flight,
                                                  const std::function<Result<std::string>()>& compute) {
    Result<std::shared_ptr<const std::string>> out = run(compute);
    std::lock_guard<std::mutex> lock(mu);
    if (out.ok()) insert_locked(key, out.value());
    flight->result.emplace(out);
    flight->done = true;
    flights.erase(key);
    flight->cv.notify_all();
    return out;
  }

  // compute(), with no exception escaping.
  static Result<std::shared_ptr<const std::string>> run(
      const std::function<Result<std::string>()>& compute) {
    try {
      auto r = compute();
      if (!r.ok()) return r.error();
      std::string value = std::move(r.value());
      value.shrink_to_fit();  // an answer built by appending can hold twice its size
      return std::make_shared<const std::string>(std::move(value));
    } catch (const std::exception& e) {
      return model::Err(model::Code::kInternal, std::string("cache computation: ") + e.what());
    }
  }
};

ResultCache::ResultCache(std::size_t max_bytes) : impl_(std::make_unique<Impl>(max_bytes)) {}
ResultCache::~ResultCache() = default;

Result<ResultCache::Answer> ResultCache::get_or_compute(
    const std::string& key, const std::function<Result<std::string>()>& compute) {
  std::shared_ptr<Flight> flight;
  {
    std::unique_lock<std::mutex> lock(impl_->mu);
    if (auto hit = impl_->find_locked(key)) {
      ++impl_->stats.hits;
      return Answer{std::move(hit), true};
    }
    auto running = impl_->flights.find(key);
    if (running != impl_->flights.end()) {
      std::shared_ptr<Flight> wait_for = running->second;
      ++impl_->stats.shared;
      wait_for->cv.wait(lock, [&] { return wait_for->done; });
      const auto& r = *wait_for->result;
      if (!r.ok()) return r.error();
      return Answer{r.value(), true};
    }
    ++impl_->stats.misses;
    flight = std::make_shared<Flight>();
    impl_->flights.emplace(key, flight);
  }
  auto out = impl_->lead(key, flight, compute);
  if (!out.ok()) return out.error();
  return Answer{std::move(out.value()), false};
}

std::shared_ptr<const std::string> ResultCache::find(const std::string& key) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->find_locked(key);
}

CacheStats ResultCache::stats() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  CacheStats s = impl_->stats;
  s.entries = impl_->index.size();
  return s;
}

}  // namespace folio::query
