// spelling_test.cc: which words of a query a suggestion may correct, edit distance, rewriting.
#include "query/spelling.h"

#include <catch2/catch.hpp>

namespace folio::query {
namespace {

// "prefix|term@offset" for each correctable word.
std::vector<std::string> described(std::string_view q) {
  std::vector<std::string> out;
  for (const auto& w : correctable_words(q)) {
    CHECK(q.substr(w.offset, w.length).size() == w.term.size());
    out.push_back(w.prefix + "|" + w.term + "@" + std::to_string(w.offset));
  }
  return out;
}

using Words = std::vector<std::string>;

TEST_CASE("spelling: free text, phrases and text fields have correctable words", "[query][spelling]") {
  CHECK(described("lapply memry") == Words{"|lapply@0", "|memry@7"});
  CHECK(described("\"memory leek\"") == Words{"|memory@1", "|leek@8"});
  CHECK(described("subject:pakage from:ripley") == Words{"S|pakage@8", "A|ripley@20"});
  CHECK(described("s:\"Rcpp modul\"") == Words{"S|rcpp@3", "S|modul@8"});
  CHECK(described("(Lapply OR sapply) -vapply +mapply") ==
        Words{"|lapply@1", "|sapply@11", "|vapply@20", "|mapply@28"});
  CHECK(described("body:lapply") == Words{"|lapply@5"});
}

TEST_CASE("spelling: operators, filters, wildcards and glued words are left alone", "[query][spelling]") {
  CHECK(described("lapply AND sapply NOT vapply").size() == 3);
  CHECK(described("list:r-devel id:abc@x thread:00000000000000ab has:attachment date:2015..2016").empty());
  CHECK(described("packag* ggplot2 x86 foo_bar").empty());
  CHECK(described("don't r&d café naïve").empty());  // one index term each, or not ASCII
  CHECK(described("ab NEAR/3 cd").empty());           // under 3 letters
  CHECK(described(std::string(41, 'a')).empty());     // over 40 letters
  CHECK(described(std::string(40, 'a')).size() == 1);
  CHECK(described("unknownfield:wrod").size() == 2);  // not a field: both are words
}

TEST_CASE("spelling: edit distance counts insertions, deletions, substitutions and swaps", "[query][spelling]") {
  CHECK(edit_distance("memory", "memory", 2) == 0);
  CHECK(edit_distance("memry", "memory", 2) == 1);
  CHECK(edit_distance("memoryy", "memory", 2) == 1);
  CHECK(edit_distance("menory", "memory", 2) == 1);
  CHECK(edit_distance("mmeory", "memory", 2) == 1);  // a swap is one edit
  CHECK(edit_distance("mmeroy", "memory", 2) == 2);
  CHECK(edit_distance("lapply", "memory", 2) == 3);  // over the bound: max + 1
  CHECK(edit_distance("a", "abcd", 2) == 3);
  CHECK(edit_distance("", "ab", 2) == 2);
  CHECK(spelling_distance(4) == 1);
  CHECK(spelling_distance(5) == 2);
}

TEST_CASE("spelling: the corrected query keeps everything but the replaced words", "[query][spelling]") {
  std::string q = "subject:\"memry leek\" AND list:r-devel Lapplly";
  auto words = correctable_words(q);
  REQUIRE(words.size() == 3);
  std::vector<std::optional<std::string>> fixes{std::string("memory"), std::nullopt, std::string("lapply")};
  CHECK(rewrite_query(q, words, fixes) == "subject:\"memory leek\" AND list:r-devel lapply");
  CHECK(rewrite_query(q, words, {std::nullopt, std::nullopt, std::nullopt}) == q);
}

}  // namespace
}  // namespace folio::query
