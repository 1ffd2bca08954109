// searcher_text_test.cc: fields, dates, wildcards, accents, CJK and snippets against a real index.
#include "query/searcher.h"

#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/query/test_archive.h"

namespace folio::query {
namespace {

using folio::testing::mail;
using folio::testing::TestArchive;
using folio::testing::TestMessage;
using folio::testing::utc;
using Ids = std::vector<std::string>;

void add_text_mails(TestArchive& a) {
  TestMessage m;
  m.id = "cafe@x";
  m.subject = "Café au lait";
  m.body = "I like the Café near the station.";
  m.from = {"José Müller", "jose@example.org"};
  m.to = {{"Alice Liddell", "alice@example.org"}};
  m.cc = {{"Carol", "carol@example.org"}};
  m.attachments = {"quarterly-report.pdf"};
  m.date = utc(2015, 3, 15, 12);
  a.add(m);
  m = mail("html@x", {"pub"}, "html test");
  m.body = "Hello <script>alert(\"x\") & 'y'</script> world";
  m.date = utc(2015, 6, 30, 23, 59, 59);
  a.add(m);
  m = mail("zh@x", {"pub"}, "中文");
  m.body = "我们在大数据分析中使用它";
  m.date = utc(2016, 1, 1);
  a.add(m);
  m = mail("ja@x", {"pub"}, "日本語");
  m.body = "東京都に住んでいます";
  m.date = utc(2016, 12, 31, 23, 59, 59);
  a.add(m);
  m = mail("stem@x", {"pub"}, "stemming");
  m.body = "running dogs";
  m.date = utc(2014, 12, 31, 23, 59, 59);
  a.add(m);
}

struct Fixture {
  TestArchive archive;
  std::unique_ptr<Searcher> searcher;
  AccessScope scope = AccessScope::for_lists({"pub"});

  explicit Fixture(const index::SearchSettings& settings = {}) {
    add_text_mails(archive);
    searcher = archive.searcher(settings);
  }

  // Matching ids, sorted (order is not what these tests are about).
  Ids find(const std::string& q) {
    SearchRequest r;
    r.query = q;
    r.limit = 100;
    auto page = searcher->search(r, scope);
    if (!page.ok()) FAIL(q << ": " << page.error().to_string());
    Ids out;
    for (const auto& h : page->hits) out.push_back(h.message_id);
    std::sort(out.begin(), out.end());
    return out;
  }

  std::string snippet(const std::string& q) {
    SearchRequest r;
    r.query = q;
    auto page = searcher->search(r, scope);
    if (!page.ok() || page->hits.size() != 1) FAIL(q << ": not exactly one hit");
    return page->hits[0].snippet;
  }
};

TEST_CASE("query searcher: accents and case fold both ways", "[query][searcher][text]") {
  Fixture f;
  CHECK(f.find("cafe") == Ids{"cafe@x"});
  CHECK(f.find("CAFÉ") == Ids{"cafe@x"});
  CHECK(f.find("café") == Ids{"cafe@x"});
  CHECK(f.find("from:muller") == Ids{"cafe@x"});
  CHECK(f.find("from:MÜLLER") == Ids{"cafe@x"});
  CHECK(f.find("\"like the CAFE\"") == Ids{"cafe@x"});
}

TEST_CASE("query searcher: every field finds its part of the message", "[query][searcher][text]") {
  Fixture f;
  CHECK(f.find("from:jose") == Ids{"cafe@x"});
  CHECK(f.find("from:jose@example.org") == Ids{"cafe@x"});
  CHECK(f.find("to:alice") == Ids{"cafe@x"});
  CHECK(f.find("to:jose").empty());
  CHECK(f.find("cc:carol") == Ids{"cafe@x"});
  CHECK(f.find("subject:lait") == Ids{"cafe@x"});
  CHECK(f.find("s:lait") == Ids{"cafe@x"});
  CHECK(f.find("subject:station").empty());
  CHECK(f.find("attachment:quarterly") == Ids{"cafe@x"});
  CHECK(f.find("has:attachment") == Ids{"cafe@x"});
  CHECK(f.find("id:html@x") == Ids{"html@x"});
  CHECK(f.find("id:HTML@x").empty());  // Message-IDs are case-sensitive
  CHECK(f.find("list:pub run") == Ids{"stem@x"});
  CHECK(f.find("thread:" + index::thread_label(2)) == Ids{"html@x"});
}

TEST_CASE("query searcher: operators combine terms", "[query][searcher][text]") {
  Fixture f;
  CHECK(f.find("station OR dogs") == Ids{"cafe@x", "stem@x"});
  CHECK(f.find("station AND dogs").empty());
  CHECK(f.find("(station OR dogs) NOT running") == Ids{"cafe@x"});
  CHECK(f.find("station -lait").empty());
  CHECK(f.find("+dogs station").empty());  // words without an operator must all match
  CHECK(f.find("dogs station").empty());
  CHECK(f.find("dogs -station") == Ids{"stem@x"});
  CHECK(f.find("dog") == Ids{"stem@x"});  // stemmed
}

TEST_CASE("query searcher: free words match every indexed form of their stem, phrases match as written",
          "[query][searcher][text]") {
  Fixture f;
  // The index holds "running" and "dogs" as written; the query stems.
  CHECK(f.find("runs") == Ids{"stem@x"});
  CHECK(f.find("dog") == Ids{"stem@x"});
  CHECK(f.find("body:dogged") == Ids{"stem@x"});
  CHECK(f.find("\"running dogs\"") == Ids{"stem@x"});
  CHECK(f.find("\"running dog\"").empty());  // phrases are not stemmed
  CHECK(f.find("stations") == Ids{"cafe@x"});
  CHECK(f.find("subject:stemmed") == Ids{"stem@x"});
}

TEST_CASE("query searcher: date periods and ranges include their whole end",
          "[query][searcher][text]") {
  Fixture f;
  CHECK(f.find("date:2015") == Ids{"cafe@x", "html@x"});
  CHECK(f.find("date:2015-03..2015-04") == Ids{"cafe@x"});
  CHECK(f.find("date:2015-03-01..2015-06-30") == Ids{"cafe@x", "html@x"});
  CHECK(f.find("date:2015-06-30") == Ids{"html@x"});
  CHECK(f.find("date:2015..2016") == Ids{"cafe@x", "html@x", "ja@x", "zh@x"});
  CHECK(f.find("date:2016..") == Ids{"ja@x", "zh@x"});
  CHECK(f.find("date:..2014") == Ids{"stem@x"});
  CHECK(f.find("date:2014-12-31") == Ids{"stem@x"});
  CHECK(f.find("dogs date:2015").empty());
}

TEST_CASE("query searcher: CJK text is found by a two-character substring",
          "[query][searcher][text]") {
  Fixture f;
  CHECK(f.find("数据") == Ids{"zh@x"});
  CHECK(f.find("数据分析") == Ids{"zh@x"});
  CHECK(f.find("京都") == Ids{"ja@x"});
  CHECK(f.find("数京").empty());
  CHECK_THAT(f.snippet("数据"), Catch::Contains("<mark>数据</mark>"));
}

TEST_CASE("query searcher: CJK between other words and fields finds the message",
          "[query][searcher][text]") {
  Fixture f;
  CHECK(f.find("stemming 京都") == Ids{});  // both must match
  CHECK(f.find("subject:日本 京都") == Ids{"ja@x"});
  CHECK(f.find("date:2016 数据 list:pub") == Ids{"zh@x"});
  CHECK(f.find("数据 OR 京都 OR running") == (Ids{"ja@x", "stem@x", "zh@x"}));
}

TEST_CASE("query searcher: snippets mark matches and escape everything else",
          "[query][searcher][text]") {
  Fixture f;
  std::string s = f.snippet("script");
  CHECK(s ==
        "Hello &lt;<mark>script</mark>&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/"
        "<mark>script</mark>&gt; world");
  // The only markup left is the marks.
  std::string stripped = s;
  for (std::string_view tag : {"<mark>", "</mark>"}) {
    for (auto p = stripped.find(tag); p != std::string::npos; p = stripped.find(tag)) {
      stripped.erase(p, tag.size());
    }
  }
  CHECK(stripped.find_first_of("<>\"'") == std::string::npos);
  CHECK_THAT(f.snippet("dogs"), Catch::Contains("running <mark>dogs</mark>"));
  CHECK_THAT(f.snippet("run"), Catch::Contains("<mark>running</mark>"));
}

TEST_CASE("query searcher: snippets mark accented words found through folding",
          "[query][searcher][text]") {
  Fixture f;
  CHECK(f.snippet("cafe") == "I like the <mark>Café</mark> near the station.");
  CHECK(f.snippet("CAFÉ") == "I like the <mark>Café</mark> near the station.");
}

void add_wild(TestArchive& a, const std::string& word, int copies) {
  for (int i = 0; i < copies; ++i) {
    a.add(mail(word + std::to_string(i) + "@w", {"pub"}, "w", word));
  }
}

TEST_CASE("query searcher: a wildcard expands to at most the most frequent terms",
          "[query][searcher][text]") {
  index::SearchSettings settings;
  settings.max_wildcard_expansion = 2;
  TestArchive a;
  add_wild(a, "wildaa", 5);
  add_wild(a, "wildbb", 4);
  add_wild(a, "wildcc", 3);
  SearchRequest r;
  r.query = "wild*";
  auto scope = AccessScope::for_lists({"pub"});
  auto bounded = a.searcher(settings)->count(r, scope);
  REQUIRE(bounded.ok());
  CHECK(*bounded == 9);  // wildaa and wildbb only
  settings.max_wildcard_expansion = 3;
  auto wide = a.searcher(settings)->count(r, scope);
  REQUIRE(wide.ok());
  CHECK(*wide == 12);
}

TEST_CASE("query searcher: a match deep in a long text is marked, the cut shown as ...",
          "[query][searcher][text]") {
  TestArchive a;
  std::string filler;
  while (filler.size() < 20000) filler += "plain words of no interest. ";
  a.add(mail("long@x", {"pub"}, "long", filler + "the zeppelin landed. " + filler));
  // A word whose stem is no prefix of it ("happi"), deep in the text: found anyway.
  a.add(mail("happy@x", {"pub"}, "mood", filler + "a happy ending. " + filler));
  auto s = a.searcher();
  auto scope = AccessScope::for_lists({"pub"});
  for (const auto& [q, word] : {std::pair{"zeppelin", "zeppelin"}, {"happiness OR happy", "happy"}}) {
    SearchRequest r;
    r.query = q;
    auto page = s->search(r, scope);
    REQUIRE(page.ok());
    REQUIRE(page->hits.size() == 1);
    const std::string& snippet = page->hits[0].snippet;
    INFO(snippet);
    CHECK_THAT(snippet, Catch::Contains(std::string("<mark>") + word + "</mark>"));
    CHECK(snippet.substr(0, 3) == "...");
    CHECK(snippet.substr(snippet.size() - 3) == "...");
    CHECK(snippet.size() < 400);
  }
}

TEST_CASE("query searcher: snippets mark irregular stems, also beside terms without a root",
          "[query][searcher][text]") {
  TestArchive a;
  a.add(mail("dying@x", {"pub"}, "status", "The old server kept dying at night; version 3.5.1 fixed it."));
  auto s = a.searcher();
  auto scope = AccessScope::for_lists({"pub"});
  // "dying" stems to "die", no prefix of it; "3.5.1" is a term without a
  // root, so every word is stemmed; "night" and "nights" stem alike.
  for (const auto& [q, word] : {std::pair{"die", "dying"}, {"die 3.5.1", "dying"}, {"nights", "night"},
                                {"ser*", "server"}}) {
    SearchRequest r;
    r.query = q;
    auto page = s->search(r, scope);
    REQUIRE(page.ok());
    REQUIRE(page->hits.size() == 1);
    INFO(q << ": " << page->hits[0].snippet);
    CHECK_THAT(page->hits[0].snippet, Catch::Contains(std::string("<mark>") + word + "</mark>"));
    CHECK_THAT(page->hits[0].snippet, !Catch::Contains("<mark>kept</mark>"));
  }
}

}  // namespace
}  // namespace folio::query
