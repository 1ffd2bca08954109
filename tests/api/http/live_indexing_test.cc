// live_indexing_test.cc: concurrent HTTP searches while a writer commits new messages into the served index.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "tests/api/http/served_archive.h"

namespace folio::testing {
namespace {

std::int64_t total_of(const HttpReply& r) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("total")) return -1;
  return v.as_object().at("total").as_int64();
}

TEST_CASE("live: searches during indexing all succeed, totals only grow, commits show within cache_fresh", "[http][live]") {
  ServedArchive s;
  constexpr int kBatches = 5, kPerBatch = 20, kClients = 4;
  std::atomic<bool> done{false};
  std::atomic<int> failures{0}, shrinks{0}, requests{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      std::int64_t last = 0;
      while (!done) {
        auto r = s.get(c % 2 ? "/api/v1/search?q=livebatch&limit=5" : "/api/v1/search?q=livebatch&facets=0");
        ++requests;
        std::int64_t total = total_of(r);
        if (r.status != 200 || total < 0) ++failures;
        if (total < last) ++shrinks;
        last = std::max(last, total);
      }
    });
  }
  for (int b = 0; b < kBatches; ++b) {
    std::vector<std::string> raws;
    for (int i = 0; i < kPerBatch; ++i) {
      std::string id = "live" + std::to_string(b) + "." + std::to_string(i) + "@x";
      raws.push_back(make_message(id, "Live batch " + std::to_string(b), "livebatch message"));
    }
    s.archive().import(raws, "pub");
    // Visible once cache_fresh (50 ms) has passed: a repeated search may be
    // answered from the cache at the revision checked up to 50 ms ago.
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    CHECK(total_of(s.get("/api/v1/search?q=livebatch&limit=100&facets=0")) == (b + 1) * kPerBatch);
  }
  done = true;
  for (auto& t : clients) t.join();
  CHECK(failures == 0);
  CHECK(shrinks == 0);
  CHECK(requests > kClients);
  CHECK(s.get("/api/v1/search.mbox?q=livebatch&limit=1000").body.find("live4.19@x") != std::string::npos);
  CHECK(s.get("/api/v1/messages/live4.19@x/raw").status == 200);
}

}  // namespace
}  // namespace folio::testing
