// result_assembly_test.cc: visible list names and HTML-safe snippets.
#include "query/internal/result_assembly.h"

#include <catch2/catch.hpp>

namespace folio::query::internal {
namespace {

TEST_CASE("query results: only visible list names are shown", "[query][results]") {
  auto scope = AccessScope::for_lists({"pub", "pro"});
  CHECK(visible_lists("closed\npro\npub", scope) == std::vector<std::string>{"pro", "pub"});
  CHECK(visible_lists("closed", scope).empty());
  CHECK(visible_lists("", scope).empty());
}

TEST_CASE("query results: snippets escape quotes and join adjacent marks", "[query][results]") {
  CHECK(html_safe_snippet("a \"<mark>b</mark>\" 'c'") ==
        "a &quot;<mark>b</mark>&quot; &#39;c&#39;");
  CHECK(html_safe_snippet("<mark>数</mark><mark>据</mark>") == "<mark>数据</mark>");
}

}  // namespace
}  // namespace folio::query::internal
