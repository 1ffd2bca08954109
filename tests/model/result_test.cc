// result_test.cc: Result<T> and Error behave as the contract says.
#include "index/model/result.h"

#include <catch2/catch.hpp>

using folio::model::Code;
using folio::model::Err;
using folio::model::Result;
using folio::model::Status;

namespace {
Result<int> half(int x) {
  if (x % 2) return Err(Code::kInvalidArgument, "odd");
  return x / 2;
}
Status quarter_ok(int x) {
  auto h = half(x);
  FOLIO_TRY(h);
  FOLIO_TRY(half(h.value()));
  return {};
}
}  // namespace

TEST_CASE("result: a value is ok and an error is not", "[model][result]") {
  REQUIRE(half(4).ok());
  REQUIRE(half(4).value() == 2);
  auto r = half(3);
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().code == Code::kInvalidArgument);
  REQUIRE(r.error().to_string() == "invalid argument: odd");
}

TEST_CASE("result: FOLIO_TRY propagates the first error", "[model][result]") {
  REQUIRE(quarter_ok(8).ok());
  REQUIRE_FALSE(quarter_ok(6).ok());
  REQUIRE(quarter_ok(6).error().message == "odd");
}
