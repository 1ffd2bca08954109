// query_parse.cc: libFuzzer harness for query::QueryParser on arbitrary text, with a reader's scope.
#include <cstddef>
#include <cstdint>

#ifndef XAPIAN_MOVE_SEMANTICS
#define XAPIAN_MOVE_SEMANTICS
#endif
#include <xapian.h>

#include "fuzz/fuzz_util.h"
#include "query/access_scope.h"
#include "query/query_parser.h"

using folio::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // One parser for the process, as a server worker keeps one per thread.
  static folio::query::QueryParser parser([] {
    folio::query::QueryLimits limits;
    limits.max_bytes = 512;  // bench/fuzz's max_len is twice this
    limits.max_terms = 100;
    limits.max_depth = 8;
    return limits;
  }());
  static const auto scope = folio::query::AccessScope::for_lists({"r-devel", "r-help", "public-list"});
  auto text = folio::fuzz::as_view(data, size);
  auto scoped = parser.parse(text, scope);
  if (scoped.ok()) {
    (void)folio::query::describe(*scoped);
  } else {
    check(scoped.error().code == folio::model::Code::kInvalidArgument, "a bad query is kInvalidArgument");
    check(!scoped.error().message.empty(), "a refusal says why");
  }
  auto unscoped = parser.parse(text);
  if (!unscoped.ok()) {
    check(unscoped.error().code == folio::model::Code::kInvalidArgument, "a bad query is kInvalidArgument");
  }
  if (size > parser.limits().max_bytes) check(!scoped.ok(), "an over-long query is refused");
  return 0;
}
