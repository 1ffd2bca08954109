// query_text_test.cc: tokens and normalisation of the query string before Xapian parses it.
#include "query/internal/query_text.h"

#include <catch2/catch.hpp>

namespace folio::query::internal {
namespace {

std::string prepared(std::string_view text) {
  auto p = prepare_query_text(text, TextLimits{});
  if (!p.ok()) return "error: " + p.error().message;
  return *p;
}

std::string kinds(std::string_view text) {
  std::string out;
  for (const Token& t : tokenize_query(text)) {
    if (!out.empty()) out += ' ';
    if (t.sign) out += t.sign;
    switch (t.kind) {
      case TokenKind::kTerm:
        out += "term";
        break;
      case TokenKind::kPhrase:
        out += "phrase";
        break;
      case TokenKind::kFilter:
        out += "filter";
        break;
      case TokenKind::kOperator:
        out += "op";
        break;
      case TokenKind::kOpen:
        out += "(";
        break;
      case TokenKind::kClose:
        out += ")";
        break;
    }
    out += "[" + std::string(t.text) + "]";
  }
  return out;
}

TEST_CASE("query text: tokens follow Xapian's lexer", "[query][text]") {
  CHECK(kinds("foo -bar") == "term[foo] -term[bar]");
  CHECK(kinds("a AND (b OR \"c d\")") ==
        "term[a] op[AND] ([(] term[b] op[OR] phrase[\"c d\"] )[)]");
  CHECK(kinds("list:x -id:\"a b\" thread:y)") ==
        "filter[list:x] -filter[id:\"a b\"] filter[thread:y] )[)]");
  CHECK(kinds("from:\"Bob Smith\" x-y NEAR/3 z") ==
        "term[from:\"Bob Smith\"] term[x-y] op[NEAR/3] term[z]");
  CHECK(kinds("list: foo") == "term[list:] term[foo]");  // no value: not a field
  CHECK(kinds("- foo +") == "term[-] term[foo] term[+]");
  CHECK(kinds("NEARLY ADJ/x") == "term[NEARLY] term[ADJ/x]");
}

TEST_CASE("query text: text is normalised, operators and filter values are not", "[query][text]") {
  CHECK(prepared("Café AND CRÈME") == "cafe AND creme");
  CHECK(prepared("FROM:Bob NOT Subject:Hello") == "from:bob NOT subject:hello");
  CHECK(prepared("ID:AbC@Example.COM List:R-Devel") == "id:AbC@Example.COM list:R-Devel");
  CHECK(prepared("\"Grüße AUS Köln\"") == "\"grusse aus koln\"");
  CHECK(prepared("  spaced\tOut ") == "  spaced\tout ");
  CHECK(prepared("DATE:2015..2016") == "date:2015..2016");
}

TEST_CASE("query text: pure NOT parts are found in each group", "[query][text]") {
  CHECK_THAT(prepared("-foo"), Catch::StartsWith("error: pure NOT"));
  CHECK_THAT(prepared("a OR (b AND (-c))"), Catch::StartsWith("error: pure NOT"));
  CHECK_THAT(prepared("a XOR NOT b"), Catch::StartsWith("error: pure NOT"));
  CHECK(prepared("a AND NOT b") == "a AND NOT b");
  CHECK(prepared("(a -b) -c") == "(a -b) -c");
  CHECK(prepared("-c (a)") == "-c (a)");
}

TEST_CASE("query text: CJK runs of terms and phrases are bracketed, filter values are not", "[query][text]") {
  CHECK(prepared("hello 東京 tower") == "hello (東京) tower");
  CHECK(prepared("東京tower") == "((東京) tower)");
  CHECK(prepared("x -a東京b") == "x -(a (東京) b)");
  CHECK(prepared("Subject:東京") == "subject:(東京)");
  CHECK(prepared("from:Bob東京") == "(from:bob from:(東京))");
  CHECK(prepared("\"東京 tower\"") == "\"(東京) tower\"");  // harmless in a phrase
  CHECK(prepared("x 旅e\"b 東京\"") == "x ((旅) e)\"b (東京)\"");     // a quote inside a word
  CHECK(prepared("from:\"Bob 東京\"") == "from:\"bob (東京)\"");
  CHECK(prepared("list:東京") == "list:東京");
  CHECK(prepared("x 、東京。 y") == "x (東京。) y");
}

TEST_CASE("query text: control characters and Unicode white space are spaces", "[query][text]") {
  CHECK(prepared(std::string("a\0b", 3)) == "a b");
  CHECK(prepared("a\x01-b\x7f") == "a -b ");
  CHECK(prepared("a\u2028b\u3000c\u0085d") == "a b c d");
  CHECK(prepared("x\xa5") == "x\uFFFD");                      // invalid UTF-8: no gap
  CHECK(prepared("a\tb\nc") == "a\tb\nc");                   // ASCII white space stays as it is
}

TEST_CASE("query text: a term is split where Xapian starts a new token", "[query][text]") {
  // Xapian skips a non-word character and reads a field name after it.
  CHECK(prepared("!list:r-help foo") == "list:r-help foo");
  CHECK(prepared("x -!foo") == "x -foo");
  CHECK(prepared("x -\u02dbfoo") == "x - foo");  // NFKC made "˛" a space: the sign means nothing
  CHECK(prepared("foo!list:x bar") == "foo! list:x bar");
  CHECK(prepared("a,b") == "a, b");
  // A filter value revealed by a split ends where Xapian ends it, so the quote
  // after it no longer hides the rest of the query in a quoted part.
  CHECK(prepared("!list:a\"b c!list:x\" d") == "list:a\"b c! list:x\" d");
  // (fuzz/query_parse: normalised while the quote hid the rest, NOT and NEAR stay words)
  CHECK(prepared("\xffLIST:!\" NOT NEAR/6") == "list:!\" not near/6");
  // A run that ends a wildcard or a suffix when a space follows it is made spaces.
  CHECK(prepared("foo*bar") == "foo bar");
  CHECK(prepared("c++x") == "c  x");
  CHECK(prepared("foo*!bar") == "foo*! bar");
  // What Xapian keeps in one token is left alone.
  CHECK(prepared("don't at&t 1,000 user@host.com a.b-c") == "don't at&t 1,000 user@host.com a.b-c");
  CHECK(prepared("c++ foo* !!!") == "c++ foo* !!!");
  CHECK(prepared("\"a!list:x\"") == "\"a!list:x\"");  // inside a phrase Xapian reads no field
  CHECK(prepared("list:a!list:b") == "list:a!list:b");    // nor inside a filter value
}

TEST_CASE("query text: a word ends after a quoted part in it", "[query][text]") {
  // Xapian starts a new token after the closing quote, where a field name
  // counts again; an empty "" it ignores.
  CHECK(kinds("f\"\"id:!\" NOT NEAR/4") == "term[f\"\"] filter[id:!\"] op[NOT] op[NEAR/4]");
  CHECK(kinds("f\"a b\"list:x c") == "term[f\"a b\"] filter[list:x] term[c]");
  CHECK(kinds("from:\"Bob Smith\"x") == "term[from:\"Bob Smith\"] term[x]");
  CHECK(kinds("f\"a NOT b") == "term[f\"a NOT b]");  // unclosed: a phrase to the end
  // (fuzz/query_parse: the filter's quote hid NOT and NEAR in a quoted part;
  // Xapian read them as operators and its failed parse leaked)
  CHECK(prepared("f\"\"id:!\"\rNOT\tNEAR/4") == "f\"\"id:!\"\rNOT\tnear/4");
}

TEST_CASE("query text: a sign before a token that makes no term is dropped", "[query][text]") {
  // Xapian would carry it over to the next token (fuzz/query_parse).
  CHECK(prepared("a +(-; list:t)") == "a +(; list:t)");
  CHECK(prepared("x -; b") == "x ; b");
  CHECK(prepared("x --!! b") == "x !! b");
  CHECK(prepared("x +;, b") == "x ;, b");
  // Signs of tokens that make a term, and non-word runs without one, stay.
  CHECK(prepared("x -b +\"c d\" -list:y") == "x -b +\"c d\" -list:y");
  CHECK(prepared("c++ ;- !!!") == "c++ ;- !!!");
}

TEST_CASE("query text: brackets added around CJK runs do not count against max_depth", "[query][text]") {
  TextLimits limits;
  limits.max_depth = 2;
  auto ok = prepare_query_text("((東京))", limits);
  REQUIRE(ok.ok());
  CHECK(*ok == "(((東京)))");
  CHECK(!prepare_query_text("(((東京)))", limits).ok());
}

TEST_CASE("query text: structure is checked on what Xapian will read", "[query][text]") {
  // NFKC turns the full-width parenthesis into "(".
  CHECK(prepared("foo -bar （") == "error: a '(' is never closed");
  CHECK(prepared("（foo -bar）") == "(foo -bar)");
}

}  // namespace
}  // namespace folio::query::internal
