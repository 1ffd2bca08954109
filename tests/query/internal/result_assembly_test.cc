// result_assembly_test.cc: visible list names, HTML-safe snippets, snippet windows.
#include "query/internal/result_assembly.h"

#include <catch2/catch.hpp>

#include "query/query_parser.h"

namespace folio::query::internal {
namespace {

TEST_CASE("query results: only visible list names are shown", "[query][results]") {
  auto scope = AccessScope::for_lists({"pub", "pro"});
  CHECK(visible_lists("closed\npro\npub", scope) == std::vector<std::string>{"pro", "pub"});
  CHECK(visible_lists("closed", scope).empty());
  CHECK(visible_lists("", scope).empty());
}

TEST_CASE("query results: a document's thread, date and lists come from its hit meta, or from three slots in an older index",
          "[query][results]") {
  const std::string thread = index::thread_label(42);
  Xapian::Document old;
  old.add_value(index::slot::kThread, thread);
  old.add_value(index::slot::kDate, Xapian::sortable_serialise(1425168000.0));
  old.add_value(index::slot::kLists, "a\nb");
  index::HitMeta m = document_meta(old);
  CHECK(m.thread == thread);
  CHECK(m.date == 1425168000);
  CHECK(m.lists == "a\nb");

  // The one slot wins where it is: here it says otherwise than the three.
  Xapian::Document now = old;
  now.add_value(index::slot::kHitMeta, index::encode_hit_meta({index::thread_label(7), 86400, "c"}));
  m = document_meta(now);
  CHECK(m.thread == index::thread_label(7));
  CHECK(m.date == 86400);
  CHECK(m.lists == "c");

  // A hit meta value that does not parse is not trusted.
  Xapian::Document bad = old;
  bad.add_value(index::slot::kHitMeta, "garbage");
  CHECK(document_meta(bad).thread == thread);
}

TEST_CASE("query results: snippets escape quotes and join adjacent marks", "[query][results]") {
  CHECK(html_safe_snippet("a \"<mark>b</mark>\" 'c'") ==
        "a &quot;<mark>b</mark>&quot; &#39;c&#39;");
  CHECK(html_safe_snippet("<mark>数</mark><mark>据</mark>") == "<mark>数据</mark>");
}

SnippetNeedles needles_of(const std::string& q) {
  QueryParser parser(QueryLimits{});
  auto parsed = parser.parse(q);
  REQUIRE(parsed.ok());
  return snippet_needles(*parsed);
}

TEST_CASE("query results: snippet needles are the roots of the query's text terms", "[query][results]") {
  auto n = needles_of("packages from:Ripley libraries list:r-devel has:attachment mem*");
  std::sort(n.roots.begin(), n.roots.end());
  CHECK(n.roots == std::vector<std::string>{"librar", "mem", "packag", "ripley"});
  CHECK(n.text_terms);
  auto filters = needles_of("list:r-devel has:attachment");
  CHECK(filters.roots.empty());
  CHECK_FALSE(filters.text_terms);
  auto cjk = needles_of("数据");
  CHECK(cjk.roots.empty());
  CHECK(cjk.text_terms);  // no needle, but a term the whole text may hold
}

TEST_CASE("query results: a long text is cut to a window at the first needle", "[query][results]") {
  SnippetNeedles n{{"packag"}, true};
  std::string words;
  while (words.size() < 6000) words += "filler words here ";
  std::string text = words + "the Packages are ready " + words;
  SnippetWindow w = snippet_window(text, n);
  CHECK(w.text.size() <= 512);
  CHECK(w.text.find("Packages") != std::string_view::npos);
  CHECK(w.text.find("Packages") >= 150);  // some text before it, for context
  CHECK(w.cut_head);
  CHECK(w.cut_tail);
  CHECK(w.text.front() != ' ');  // starts at a word
  // Only where the needle begins a word: "repackaged" is not a place.
  std::string inside = words + "repackaged " + words + "package";
  CHECK(snippet_window(inside, n).text.substr(snippet_window(inside, n).text.size() - 7) == "package");
  // Short texts are given whole; without a needle, the start.
  CHECK(snippet_window("short package text", n).text == "short package text");
  std::string doubled = words + words;
  SnippetWindow none = snippet_window(doubled, n);
  CHECK(none.text == std::string_view(words).substr(0, none.text.size()));
  CHECK_FALSE(none.cut_head);
  CHECK(none.cut_tail);
}

TEST_CASE("query results: a window never splits a UTF-8 sequence", "[query][results]") {
  SnippetNeedles n{{"word"}, true};
  std::string text;
  while (text.size() < 3000) text += "\xC3\xA9";  // é without spaces
  text += "word";
  while (text.size() < 9000) text += "\xC3\xA9";
  SnippetWindow w = snippet_window(text, n);
  REQUIRE_FALSE(w.text.empty());
  CHECK((static_cast<unsigned char>(w.text.front()) & 0xC0) != 0x80);
  CHECK((static_cast<unsigned char>(w.text.back()) & 0xC0) != 0xC0);  // not a lead byte cut off
  CHECK(w.text.find("word") != std::string_view::npos);
}

TEST_CASE("query results: a needle-aware snippet stemmer stems only words that could match",
          "[query][results]") {
  SnippetNeedles n{{"packag", "librar"}, true};
  Xapian::Stem stem = snippet_stemmer(n);
  CHECK(stem("packages") == "packag");  // begins like a root: stemmed
  CHECK(stem("Packages") == "Packag");  // (Xapian gives words lower-cased; the letters compare so)
  CHECK(stem("libraries") == "librari");
  CHECK(stem("models") == "models");    // begins like no root: given back as it is
  CHECK(stem("a") == "a");
  CHECK(snippet_stemmer(SnippetNeedles{{"die"}, true})("dying") == "die");  // an irregular stem
  CHECK(snippet_stemmer(SnippetNeedles{{"die"}, true})("dogs") == "dogs");
  CHECK(stem("café") == "cafe");        // not ASCII: normalised and stemmed always
  // A term without a root (CJK, "3.5.1"): every word is stemmed.
  SnippetNeedles unrooted = needles_of("packages 数据");
  CHECK_FALSE(unrooted.every_term_rooted);
  CHECK(snippet_stemmer(unrooted)("models") == "model");
  CHECK(snippet_stemmer()("models") == "model");
  CHECK(needles_of("packages mem*").every_term_rooted);
  CHECK_FALSE(needles_of("3.5.1").every_term_rooted);
}

}  // namespace
}  // namespace folio::query::internal
