// pathological_test.cc: hostile queries (issue 6): each is answered within the time limit or
// refused with kInvalidArgument (the service's 400), never a crash or an unbounded allocation.
#include <catch2/catch.hpp>

#include <chrono>
#include <limits>
#include <string>

#include "query/access_scope.h"
#include "query/query_parser.h"
#include "query/searcher.h"
#include "tests/query/test_archive.h"
#include "tests/support/build_kind.h"

using folio::model::Code;
using folio::query::AccessScope;
using folio::query::SearchRequest;
using folio::testing::TestArchive;
using folio::testing::mail;

namespace {

constexpr double kSlack = folio::testing::kAddressSanitizer ? 6 : 1;

constexpr double kBoundSeconds = 2 * kSlack;

// An archive of 2,000 messages with 2,000 distinct words "wNNNN" and one
// word "common" they all share.
TestArchive& archive() {
  static TestArchive* a = [] {
    auto* t = new TestArchive;
    for (int i = 0; i < 2000; ++i) {
      std::string n = std::to_string(i);
      t->add(mail("m" + n + "@x", {"pub"}, "subject " + n, "common w" + n + " word" + n + "x"));
    }
    t->commit();
    return t;
  }();
  return *a;
}

// Runs `req` and checks it was answered or refused with kInvalidArgument within the bound.
// Returns the total, or -1 when refused.
long long answer(const SearchRequest& req) {
  static auto searcher = archive().searcher();
  auto start = std::chrono::steady_clock::now();
  auto page = searcher->search(req, AccessScope::for_lists({"pub"}));
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO("query of " << req.query.size() << " bytes took " << s << " s");
  CHECK(s < kBoundSeconds);
  if (!page.ok()) {
    INFO(page.error().to_string());
    CHECK(page.error().code == Code::kInvalidArgument);
    CHECK_FALSE(page.error().message.empty());
    return -1;
  }
  CHECK(page->hits.size() <= req.limit);
  return static_cast<long long>(page->total);
}

long long answer(const std::string& q) {
  SearchRequest req;
  req.query = q;
  return answer(req);
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("pathological queries: deeply nested parentheses are refused", "[query][pathological]") {
  CHECK(answer(repeat("(", 32) + "common" + repeat(")", 32)) == 2000);
  CHECK(answer(repeat("(", 33) + "common" + repeat(")", 33)) == -1);
  CHECK(answer(repeat("(", 2000) + "common" + repeat(")", 2000)) == -1);  // also over max_bytes
  CHECK(answer(repeat("(", 2000)) == -1);
  CHECK(answer(repeat(")", 2000)) == -1);
  CHECK(answer(repeat("(a OR ", 600) + "b" + repeat(")", 600)) == -1);

  // A parser with room for the bytes still refuses the depth.
  folio::query::QueryLimits limits;
  limits.max_bytes = 1u << 20;
  folio::query::QueryParser parser(limits);
  auto q = parser.parse(repeat("(", 100000) + "x" + repeat(")", 100000));
  REQUIRE_FALSE(q.ok());
  CHECK(q.error().code == Code::kInvalidArgument);
}

TEST_CASE("pathological queries: 10,000 terms are refused, 1,000 are answered", "[query][pathological]") {
  folio::query::QueryLimits limits;
  limits.max_bytes = 1u << 20;
  folio::query::QueryParser parser(limits);
  std::string many;
  for (int i = 0; i < 10000; ++i) many += "w" + std::to_string(i % 2000) + " ";
  auto q = parser.parse(many);
  REQUIRE_FALSE(q.ok());
  CHECK(q.error().code == Code::kInvalidArgument);
  CHECK(answer(many) == -1);  // over max_bytes too, in the searcher

  // Within the bytes: about 700 terms joined by OR, each of them matching.
  std::string fits;
  for (int i = 0; fits.size() < 4000; ++i) fits += (i ? "OR w" : "w") + std::to_string(i) + " ";
  CHECK(answer(fits) > 500);
  // Over 1,000 short terms in 4,096 bytes.
  CHECK(answer(repeat("a ", 1500)) == -1);
}

TEST_CASE("pathological queries: wildcards matching everything are bounded", "[query][pathological]") {
  auto w = answer("w*");  // 2,000 terms, more than max_wildcard_expansion's 1,000
  CHECK((w == -1 || w >= 1000));
  CHECK(answer("*") == 2000);
  CHECK(answer("w* word* subject* common*") != 0);
  CHECK(answer("\"w* common\"") >= -1);
  CHECK(answer("NOT w*") == -1);
}

// Known (issue 6, found by this test): each trailing * may expand to
// max_wildcard_expansion terms, but nothing bounds the number of wildcards,
// so a 600-byte query of 200 wildcards becomes an OR of 200,000 terms and
// holds a worker for several CPU seconds (43 s wall on a loaded 2-core
// machine). Fix in query_parser.cc: count the OP_WILDCARD subqueries and
// refuse (kInvalidArgument) when their total expansion could exceed a budget.
// Fixed: at most 16 wildcards per query.
TEST_CASE("pathological queries: many wildcards share one expansion budget", "[query][pathological]") {
  CHECK(answer(repeat("w* ", 200)) == -1);  // refused: at most 16 wildcards
  CHECK(answer(repeat("w* ", 16)) != -1);   // at the limit: answered
  CHECK(answer(repeat("w* ", 17)) == -1);   // one over
}

TEST_CASE("pathological queries: huge offsets and limits are refused", "[query][pathological]") {
  SearchRequest req;
  req.query = "common";
  req.offset = std::numeric_limits<std::size_t>::max();
  CHECK(answer(req) == -1);
  req.offset = std::numeric_limits<std::size_t>::max() - 5;
  req.limit = 10;
  CHECK(answer(req) == -1);
  req.offset = 10000;  // the default max_offset: answered, past the end
  CHECK(answer(req) == 2000);
  req.offset = 10001;
  CHECK(answer(req) == -1);
  req.offset = 0;
  req.limit = std::numeric_limits<std::size_t>::max();
  CHECK(answer(req) == -1);
  req.limit = 100;
  req.collapse_thread = true;
  req.sort = SearchRequest::Sort::kDate;
  CHECK(answer(req) == 2000);
}

TEST_CASE("pathological queries: bytes that are not text", "[query][pathological]") {
  CHECK(answer(std::string("common\0x", 8)) >= -1);
  CHECK(answer("common \xC3\x28 \xFF\xFE") >= -1);
  CHECK(answer(std::string(4096, '"')) >= -1);
  CHECK(answer(std::string(4096, '-')) >= -1);
  CHECK(answer(std::string(4097, 'a')) == -1);
  CHECK(answer("date:" + std::string(4000, '9') + "..") == -1);
  CHECK(answer("thread:" + std::string(4000, 'f')) == -1);
}
