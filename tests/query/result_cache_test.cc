// result_cache_test.cc: the shared result cache: byte bound, LRU order, scope separation, single flight; the version probe.
#include "query/result_cache.h"

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/query/test_archive.h"

namespace folio::query {
namespace {

using model::Result;

// A compute function that returns `value` and counts its calls.
std::function<Result<std::string>()> returning(std::string value, std::atomic<int>& calls) {
  return [value, &calls]() -> Result<std::string> {
    ++calls;
    return value;
  };
}

std::size_t charge(const std::string& key, const std::string& value) {
  return 2 * key.size() + value.size() + ResultCache::kEntryOverhead;  // values over 15 bytes: capacity == size
}

TEST_CASE("result cache: a second lookup is a hit and does not compute", "[query][cache]") {
  ResultCache cache(1 << 20);
  std::atomic<int> calls{0};
  auto a = cache.get_or_compute("k", returning("v", calls));
  REQUIRE(a.ok());
  CHECK_FALSE(a->cached);
  auto b = cache.get_or_compute("k", returning("other", calls));
  REQUIRE(b.ok());
  CHECK(b->cached);
  CHECK(*b->value == "v");
  CHECK(calls == 1);
  CHECK(cache.stats().hits == 1);
  CHECK(cache.stats().misses == 1);
}

TEST_CASE("result cache: charged bytes never exceed the bound", "[query][cache]") {
  const std::string value(100, 'x');
  const std::size_t one = charge("key-00", value);
  ResultCache cache(one * 10);
  std::atomic<int> calls{0};
  for (int i = 0; i < 50; ++i) {
    std::string key = "key-" + std::string(i < 10 ? "0" : "") + std::to_string(i);
    REQUIRE(cache.get_or_compute(key, returning(value, calls)).ok());
    CHECK(cache.stats().bytes <= one * 10);
  }
  CHECK(cache.stats().entries == 10);
  CHECK(cache.stats().evictions == 40);
}

TEST_CASE("result cache: spare capacity of a value is given back, not kept and not hidden",
          "[query][cache]") {
  ResultCache cache(1 << 20);
  auto built = []() -> Result<std::string> {
    std::string v;
    v.reserve(100000);  // as an answer grown by appending may be
    v.assign(100, 'x');
    return v;
  };
  auto r = cache.get_or_compute("key-00", built);
  REQUIRE(r.ok());
  CHECK(r->value->capacity() < 1000);
  CHECK(cache.stats().bytes == charge("key-00", std::string(100, 'x')));
}

TEST_CASE("result cache: a value over an eighth of the bound is returned but not kept", "[query][cache]") {
  ResultCache cache(8000);
  std::atomic<int> calls{0};
  auto a = cache.get_or_compute("big", returning(std::string(1000, 'x'), calls));
  REQUIRE(a.ok());
  CHECK(a->value->size() == 1000);
  CHECK(cache.stats().entries == 0);
  CHECK(cache.find("big") == nullptr);
}

TEST_CASE("result cache: the least recently used entry is evicted first", "[query][cache]") {
  const std::string value(100, 'x');
  ResultCache cache(charge("k00", value) * 16);
  std::atomic<int> calls{0};
  auto key = [](int i) { return "k" + std::string(i < 10 ? "0" : "") + std::to_string(i); };
  for (int i = 0; i < 16; ++i) REQUIRE(cache.get_or_compute(key(i), returning(value, calls)).ok());
  REQUIRE(cache.find(key(0)) != nullptr);  // k00 is now the most recently used; k01 the least
  REQUIRE(cache.get_or_compute(key(16), returning(value, calls)).ok());
  CHECK(cache.find(key(1)) == nullptr);
  CHECK(cache.find(key(0)) != nullptr);
  CHECK(cache.find(key(2)) != nullptr);
  CHECK(cache.find(key(16)) != nullptr);
  CHECK(cache.stats().entries == 16);
}

TEST_CASE("result cache: keys differing only in scope or version never share an entry", "[query][cache]") {
  ResultCache cache(1 << 20);
  std::atomic<int> calls{0};
  CacheKey pub{"search?q=x", AccessScope::for_lists({"pub"}).key(), {1, 5}};
  CacheKey pro = pub;
  pro.scope = AccessScope::for_lists({"pro", "pub"}).key();
  CacheKey newer = pub;
  newer.version.revision = 6;
  CacheKey swapped = pub;
  swapped.version.generation = 2;
  REQUIRE(cache.get_or_compute(pub.str(), returning("public answer", calls)).ok());
  for (const CacheKey* k : {&pro, &newer, &swapped}) {
    auto a = cache.get_or_compute(k->str(), returning("other answer", calls));
    REQUIRE(a.ok());
    CHECK_FALSE(a->cached);
    CHECK(*a->value == "other answer");
  }
  CHECK(calls == 4);
}

TEST_CASE("result cache: key parts cannot run into each other", "[query][cache]") {
  CacheKey a{"ab", "c", {1, 2}};
  CacheKey b{"a", "bc", {1, 2}};
  CacheKey c{"a", "b", {12, 2}};
  CacheKey d{"a", "b", {1, 22}};
  CHECK(a.str() != b.str());
  CHECK(c.str() != d.str());
}

TEST_CASE("result cache: identical concurrent misses compute once", "[query][cache]") {
  ResultCache cache(1 << 20);
  std::atomic<int> calls{0};
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  auto slow = [&]() -> Result<std::string> {
    ++calls;
    released.wait_for(std::chrono::seconds(10));
    return std::string("answer");
  };
  std::vector<std::future<Result<ResultCache::Answer>>> waiters;
  for (int i = 0; i < 8; ++i) {
    waiters.push_back(std::async(std::launch::async, [&] { return cache.get_or_compute("same", slow); }));
  }
  // Let every thread reach the cache before the one computation finishes.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (cache.stats().misses + cache.stats().shared < 8 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  release.set_value();
  int computed_here = 0;
  for (auto& w : waiters) {
    REQUIRE(w.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    auto a = w.get();
    REQUIRE(a.ok());
    CHECK(*a->value == "answer");
    if (!a->cached) ++computed_here;
  }
  CHECK(calls == 1);
  CHECK(computed_here == 1);
  CHECK(cache.stats().shared == 7);
}

TEST_CASE("result cache: an error reaches the waiters but is not cached", "[query][cache]") {
  ResultCache cache(1 << 20);
  auto failing = []() -> Result<std::string> { return model::Err(model::Code::kInvalidArgument, "bad"); };
  auto a = cache.get_or_compute("k", failing);
  REQUIRE_FALSE(a.ok());
  CHECK(a.error().message == "bad");
  std::atomic<int> calls{0};
  auto b = cache.get_or_compute("k", returning("good", calls));
  REQUIRE(b.ok());
  CHECK(calls == 1);
}

TEST_CASE("result cache: an exception in compute becomes an error", "[query][cache]") {
  ResultCache cache(1 << 20);
  auto throwing = []() -> Result<std::string> { throw std::runtime_error("boom"); };
  auto a = cache.get_or_compute("k", throwing);
  REQUIRE_FALSE(a.ok());
  CHECK(a.error().code == model::Code::kInternal);
  CHECK(cache.stats().entries == 0);
}

TEST_CASE("index version probe: a commit raises the revision", "[query][cache]") {
  folio::testing::TestArchive archive;
  archive.add(folio::testing::mail("a@x", {"pub"}, "one"));
  archive.commit();
  IndexVersionProbe probe(archive.home());
  auto v1 = probe.read();
  REQUIRE(v1.ok());
  CHECK(v1->generation == 1);
  archive.add(folio::testing::mail("b@x", {"pub"}, "two"));
  archive.commit();
  auto v2 = probe.read();
  REQUIRE(v2.ok());
  CHECK(v2->revision > v1->revision);
  CHECK_FALSE(*v1 == *v2);
}

}  // namespace
}  // namespace folio::query
