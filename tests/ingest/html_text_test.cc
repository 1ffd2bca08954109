// html_text_test.cc: HTML to text: what is text, what is not, and where lines break.
#include "ingest/html_text.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/charset.h"
#include "tests/support/corpus.h"

using folio::ingest::html_to_text;

namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("html: notmuch attribute-text: text inside an attribute is not body text", "[ingest][html]") {
  SKIP_WITHOUT_CORPUS();
  auto raw = read_file(*folio::testing::shared_corpus() / "mime" / "notmuch" / "html" / "attribute-text");
  auto body = raw.substr(raw.find("\n\n") + 2);
  auto text = html_to_text(body);
  REQUIRE(text == "hunter2");
  REQUIRE_FALSE(contains(text, "swordfish"));
}

TEST_CASE("html: notmuch embedded-image: a data: image is not indexed", "[ingest][html]") {
  SKIP_WITHOUT_CORPUS();
  auto raw = read_file(*folio::testing::shared_corpus() / "mime" / "notmuch" / "html" / "embedded-image");
  std::size_t part = raw.find("Content-Type: text/html");
  REQUIRE(part != std::string::npos);
  std::size_t start = raw.find("\n\n", part) + 2;
  std::size_t end = raw.find("\n--=-1468922508", start);
  auto html = raw.substr(start, end - start);
  REQUIRE(contains(html, "data:image/gif;base64,R0lGOD"));  // the case is really there
  auto text = html_to_text(html);
  REQUIRE_FALSE(contains(text, "data:"));
  REQUIRE_FALSE(contains(text, "R0lGOD"));
  REQUIRE(contains(text, "F\xC3\xB6rvaltnings AB Malm\xC3\xB6" "borg"));
}

TEST_CASE("html: script, style, head, title and template content is dropped", "[ingest][html]") {
  auto text = html_to_text(
      "<html><head><title>TITLE</title><style>p{color:red}</style>"
      "<script>var secret=1;</script></head><body>"
      "<p>visible</p><script>alert('x')</script><template>tmpl</template>"
      "<noscript>nojs</noscript><!-- a comment --></body></html>");
  REQUIRE(text == "visible");
}

TEST_CASE("html: attribute values (alt, href, title) never become text", "[ingest][html]") {
  auto text = html_to_text(
      "<a href=\"http://example.org/secret\" title=\"tip\">link</a> "
      "<img alt=\"alttext\" src=\"data:image/png;base64,iVBORw0KGgo=\"> end");
  REQUIRE(text == "link end");
}

TEST_CASE("html: a data: URI written as text is dropped", "[ingest][html]") {
  REQUIRE(html_to_text("<p>see data:image/png;base64,iVBORw0KGgoAAAA here</p>") == "see here");
}

TEST_CASE("html: block elements break lines, inline elements do not", "[ingest][html]") {
  REQUIRE(html_to_text("<p>one</p><p>two</p>") == "one\n\ntwo");
  REQUIRE(html_to_text("<div>one</div><div>two</div>") == "one\ntwo");
  REQUIRE(html_to_text("one<br>two") == "one\ntwo");
  REQUIRE(html_to_text("one<br><br>two") == "one\n\ntwo");
  REQUIRE(html_to_text("a<b>b</b><i>c</i> <span>d</span>") == "abc d");
  REQUIRE(html_to_text("<ul><li>x</li><li>y</li></ul>after") == "x\ny\n\nafter");
  REQUIRE(html_to_text("<h1>Title</h1>text") == "Title\n\ntext");
}

TEST_CASE("html: table cells are separated, rows are lines", "[ingest][html]") {
  REQUIRE(html_to_text("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>") ==
          "a b\nc");
}

TEST_CASE("html: white space collapses except in pre", "[ingest][html]") {
  REQUIRE(html_to_text("<p>  lots \n\n of   space  </p>") == "lots of space");
  REQUIRE(html_to_text("<pre>a  b\n  c</pre>") == "a  b\n  c");
}

TEST_CASE("html: character references are decoded", "[ingest][html]") {
  REQUIRE(html_to_text("&amp; &lt;x&gt; &eacute; &#8364; &#x41;") == "& <x> \xC3\xA9 \xE2\x82\xAC A");
}

TEST_CASE("html: invalid UTF-8 still gives valid UTF-8", "[ingest][html]") {
  auto text = html_to_text("<p>bad \xFF\xFE bytes</p>");
  REQUIRE(folio::ingest::is_valid_utf8(text));
  REQUIRE(contains(text, "bytes"));
}

TEST_CASE("html: empty and text-only input", "[ingest][html]") {
  REQUIRE(html_to_text("").empty());
  REQUIRE(html_to_text("just text") == "just text");
}

TEST_CASE("html: pathologically deep markup is still read, scripts still dropped", "[ingest][html]") {
  std::string html = "<script>hidden()</script>";
  for (int i = 0; i < 20000; ++i) html += "<div><b>";
  html += "deep &amp; down";
  auto text = html_to_text(html);
  REQUIRE(text == "deep & down");
}

TEST_CASE("html: formatting elements left open across many blocks stay cheap", "[ingest][html]") {
  // An HTML5 tree builder re-creates every open <b> in each later paragraph;
  // this input made gumbo allocate gigabytes before the cost guard.
  std::string html = "<p>";
  for (int i = 0; i < 900; ++i) html += "<b id=" + std::to_string(i) + ">";
  html += "</p>";
  for (int i = 0; i < 10000; ++i) html += "<p>x</p>";
  auto text = html_to_text(html);
  REQUIRE(std::count(text.begin(), text.end(), 'x') == 10000);
  REQUIRE(text.size() < 30000);
}
