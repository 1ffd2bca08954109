// xapian_guard_test.cc: Xapian exceptions become Errors; a discarded revision is reopened and retried.
#include "query/internal/xapian_guard.h"

#include <catch2/catch.hpp>

namespace folio::query::internal {
namespace {

using model::Code;
using model::Result;
using model::Status;

// Runs the guard over a call that loses its revision `losses` times before it
// succeeds; counts the calls and the reopens.
struct Flaky {
  int losses = 0;
  int calls = 0;
  int reopens = 0;

  Result<int> run() {
    return xapian_guard(
        [&]() -> Result<int> {
          if (calls++ < losses) throw Xapian::DatabaseModifiedError("revision discarded");
          return 42;
        },
        [&]() -> Status {
          ++reopens;
          return {};
        });
  }
};

TEST_CASE("xapian guard: a revision lost again while retrying is reopened again, up to the limit",
          "[query][xapian_guard]") {
  // Regression (bench/soak): under load a retried search lost its revision a
  // second time and the reader got 503.
  for (int losses = 1; losses <= kMaxReopens; ++losses) {
    Flaky f{losses};
    auto r = f.run();
    REQUIRE(r.ok());
    CHECK(r.value() == 42);
    CHECK(f.reopens == losses);
    CHECK(f.calls == losses + 1);
  }
}

TEST_CASE("xapian guard: a revision lost once more than the limit is kBusy", "[query][xapian_guard]") {
  Flaky f{kMaxReopens + 1};
  auto r = f.run();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Code::kBusy);
  CHECK(f.reopens == kMaxReopens);
  CHECK(f.calls == kMaxReopens + 1);
}

TEST_CASE("xapian guard: a failed reopen is returned without another try", "[query][xapian_guard]") {
  int calls = 0;
  auto r = xapian_guard(
      [&]() -> Result<int> {
        ++calls;
        throw Xapian::DatabaseModifiedError("revision discarded");
      },
      []() -> Status { return model::Err(Code::kNotFound, "generation gone"); });
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Code::kNotFound);
  CHECK(calls == 1);
}

TEST_CASE("xapian guard: other Xapian errors are translated, never retried", "[query][xapian_guard]") {
  int calls = 0;
  auto r = xapian_guard([&]() -> Result<int> {
    ++calls;
    throw Xapian::QueryParserError("bad query");
  });
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Code::kInvalidArgument);
  CHECK(calls == 1);
}

}  // namespace
}  // namespace folio::query::internal
