// mime_parser_test.cc: parse_message: fields, body choice, attachments, broken mail, limits, corpus.
#include "ingest/mime_parser.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "ingest/charset.h"
#include "tests/support/corpus.h"

using folio::model::Address;
using folio::model::Attachment;
using folio::model::Code;
using folio::model::ParsedMessage;
using folio::ingest::ParseOptions;
using folio::ingest::parse_message;

namespace fs = std::filesystem;

namespace {

ParsedMessage parse(const std::string& raw, const ParseOptions& options = {}) {
  auto r = parse_message(raw, options);
  REQUIRE(r.ok());
  return std::move(r).value();
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path corpus_file(const std::string& relative) {
  return *folio::testing::shared_corpus() / "mime" / relative;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

bool has_problem(const ParsedMessage& m, const std::string& text) {
  return std::any_of(m.problems.begin(), m.problems.end(),
                     [&](const std::string& p) { return contains(p, text); });
}

const Attachment* attachment(const ParsedMessage& m, const std::string& filename) {
  for (const Attachment& a : m.attachments) {
    if (a.filename == filename) return &a;
  }
  return nullptr;
}

// A multipart/mixed message whose parts are given whole (headers + body).
std::string multipart(const std::vector<std::string>& parts, const std::string& type = "mixed") {
  std::string raw = "Subject: parts\nContent-Type: multipart/" + type + "; boundary=\"BND\"\n\npreamble\n";
  for (const std::string& p : parts) raw += "--BND\n" + p + "\n";
  return raw + "--BND--\nepilogue\n";
}

// `levels` nested multiparts around one text leaf, which sits at depth `levels`.
std::string nested(int levels, const std::string& text) {
  std::string inner = "Content-Type: text/plain\n\n" + text + "\n";
  for (int i = levels - 1; i >= 0; --i) {
    std::string b = "b" + std::to_string(i);
    inner = "Content-Type: multipart/mixed; boundary=" + b + "\n\n--" + b + "\n" + inner + "--" + b + "--\n";
  }
  return "Subject: deep\n" + inner;
}

// Whether a parse of `raw` should yield something: it has a common header
// field or non-blank text after its header block (or no header block).
bool expects_content(const std::string& raw) {
  for (const char* name : {"Subject:", "From:", "Message-ID:", "Message-Id:"}) {
    if (contains(raw, name)) return true;
  }
  std::size_t blank = raw.find("\n\n");
  std::size_t body = blank == std::string::npos ? 0 : blank;
  return raw.find_first_not_of(" \t\r\n", body) != std::string::npos;
}

// Splits an mbox file at "\nFrom " (rough, but enough for a no-crash sweep).
std::vector<std::string> split_mbox(const std::string& all) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < all.size()) {
    std::size_t next = all.find("\nFrom ", pos);
    if (next == std::string::npos) next = all.size();
    out.push_back(all.substr(pos, next + 1 - pos));
    pos = next + 1;
  }
  return out;
}

}  // namespace

// ---- header fields ------------------------------------------------------------------

TEST_CASE("parse: a plain message fills every header field", "[ingest][mime]") {
  auto m = parse(
      "From: =?utf-8?q?J=C3=B6rg?= <jorg@Example.ORG>\r\n"
      "To: a@x.org, \"B\" <b@x.org>\r\n"
      "Cc: c@x.org\r\n"
      "cc: d@x.org\r\n"
      "Subject: =?utf-8?q?caf=C3=A9?=\r\n  folded\r\n"
      "Message-ID: <id1@x.org>\r\n"
      "In-Reply-To: <parent@x.org> <other@x.org>\r\n"
      "References: <root@x.org>\r\n <parent@x.org>\r\n"
      "List-Id: R Development <R-Devel.R-Project.org>\r\n"
      "Date: Fri, 22 May 2015 06:38:22 -0500\r\n"
      "\r\n"
      "Hello\r\nworld\r\n\r\n");
  REQUIRE(m.from == Address{"J\xC3\xB6rg", "jorg@example.org"});
  REQUIRE(m.to == std::vector<Address>{{"", "a@x.org"}, {"B", "b@x.org"}});
  REQUIRE(m.cc == std::vector<Address>{{"", "c@x.org"}, {"", "d@x.org"}});
  REQUIRE(m.subject == "caf\xC3\xA9 folded");
  REQUIRE(m.message_id == "id1@x.org");
  REQUIRE(m.in_reply_to == "parent@x.org");
  REQUIRE(m.references == std::vector<std::string>{"root@x.org", "parent@x.org"});
  REQUIRE(m.list_id == "r-devel.r-project.org");
  REQUIRE(m.date_present);
  REQUIRE(m.date == 1432294702);
  REQUIRE(m.body == "Hello\nworld");
  REQUIRE(m.attachments.empty());
  REQUIRE(m.problems.empty());
  REQUIRE_FALSE(m.truncated);
}

TEST_CASE("parse: List-Id without brackets is the trimmed, lower-cased value", "[ingest][mime]") {
  REQUIRE(parse("List-Id:  Foo.Example.ORG \n\nx").list_id == "foo.example.org");
}

TEST_CASE("parse: a missing or unparseable Date is not present", "[ingest][mime]") {
  REQUIRE_FALSE(parse("Subject: x\n\nbody").date_present);
  auto m = parse("Date: someday\n\nbody");
  REQUIRE_FALSE(m.date_present);
  REQUIRE(has_problem(m, "Date"));
}

TEST_CASE("parse: several Message-ID fields: the first usable one counts", "[ingest][mime]") {
  REQUIRE(parse("Message-ID: <>\nMessage-Id: <real@x>\nMessage-Id: <third@x>\n\nb").message_id == "real@x");
}

TEST_CASE("parse: pipermail addresses are restored when asked", "[ingest][mime]") {
  std::string raw = "From: edd at debian.org (Dirk Eddelbuettel)\nSubject: hi\n\nbody\n";
  ParseOptions o;
  o.pipermail_addresses = true;
  REQUIRE(parse(raw, o).from == Address{"Dirk Eddelbuettel", "edd@debian.org"});
  REQUIRE(parse(raw).from.addr.empty());
}

TEST_CASE("parse: an mbox From_ line before the headers is skipped", "[ingest][mime]") {
  auto m = parse("From edd at debian.org  Fri May 22 13:38:22 2015\nSubject: s\n\nbody\n");
  REQUIRE(m.subject == "s");
  REQUIRE(m.problems.empty());
}

// ---- body choice -----------------------------------------------------------------------

TEST_CASE("parse: text/plain is preferred within multipart/alternative", "[ingest][mime]") {
  auto m = parse(multipart({"Content-Type: text/plain\n\nplain words",
                            "Content-Type: text/html\n\n<p>html words</p>"},
                           "alternative"));
  REQUIRE(m.body == "plain words");
  REQUIRE(m.attachments.empty());
}

TEST_CASE("parse: HTML is converted when there is no plain text", "[ingest][mime]") {
  auto m = parse("Content-Type: text/html; charset=utf-8\n\n<html><head><title>t</title></head>"
                 "<body><p>Hello <b>there</b></p><script>x()</script></body></html>\n");
  REQUIRE(m.body == "Hello there");
}

TEST_CASE("parse: an empty plain alternative gives way to the HTML one", "[ingest][mime]") {
  auto m = parse(multipart({"Content-Type: text/plain\n\n  \n",
                            "Content-Type: text/html\n\n<p>real text</p>"},
                           "alternative"));
  REQUIRE(m.body == "real text");
}

TEST_CASE("parse: an alternative holding a multipart/related HTML body is read", "[ingest][mime]") {
  std::string related =
      "Content-Type: multipart/related; boundary=REL\n\n--REL\nContent-Type: text/html\n\n"
      "<p>rich</p>\n--REL\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--REL--";
  auto m = parse(multipart({"Content-Type: text/html\n\n<p>poor</p>", related}, "alternative"));
  REQUIRE(m.body == "rich");
  REQUIRE(m.attachments.size() == 1);
  REQUIRE(m.attachments[0].content_type == "image/png");
}

TEST_CASE("parse: text attachments follow the body and are marked indexed", "[ingest][mime]") {
  auto m = parse(multipart({
      "Content-Type: text/plain\n\nthe body",
      "Content-Type: text/x-diff\nContent-Disposition: inline; filename=0001-fix.patch\n\n--- a\n+++ b",
      "Content-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"blob.bin\"\n"
      "Content-Transfer-Encoding: base64\n\nAAECAwQF",
      "Content-Type: text/plain\n\n-- \nlist footer",
  }));
  REQUIRE(m.body == "the body\n\n--- a\n+++ b\n\n-- \nlist footer");
  REQUIRE(m.attachments.size() == 2);
  REQUIRE(m.attachments[0].filename == "0001-fix.patch");
  REQUIRE(m.attachments[0].content_type == "text/x-diff");
  REQUIRE(m.attachments[0].indexed_as_text);
  REQUIRE(m.attachments[1].filename == "blob.bin");
  REQUIRE(m.attachments[1].size == 6);
  REQUIRE_FALSE(m.attachments[1].indexed_as_text);
}

TEST_CASE("parse: attachment names from RFC 2231, RFC 2047 and Content-Type name", "[ingest][mime]") {
  auto m = parse(multipart({
      "Content-Type: text/plain\n\nbody",
      "Content-Type: application/pdf\nContent-Disposition: attachment;\n filename*0*=utf-8''%E2%82%AC%20;\n"
      " filename*1=\"rates.pdf\"\n\nx",
      "Content-Type: application/pdf; name=\"=?iso-8859-1?q?caf=E9.pdf?=\"\n\nx",
  }));
  REQUIRE(attachment(m, "\xE2\x82\xAC rates.pdf") != nullptr);
  REQUIRE(attachment(m, "caf\xC3\xA9.pdf") != nullptr);
}

TEST_CASE("parse: message/rfc822 parts contribute their text", "[ingest][mime]") {
  auto m = parse(multipart({
      "Content-Type: text/plain\n\nforwarding this",
      "Content-Type: message/rfc822\n\nFrom: inner@x.org\nSubject: inner subject\n\ninner words",
  }));
  REQUIRE(contains(m.body, "forwarding this"));
  REQUIRE(contains(m.body, "inner subject"));
  REQUIRE(contains(m.body, "inner words"));
}

TEST_CASE("parse: transfer encodings and per-part charsets are decoded", "[ingest][mime]") {
  auto m = parse(multipart({
      "Content-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: base64\n\n8NLJ18XU",
      "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
      "caf=E9 soft=\nbreak",
  }));
  REQUIRE(m.body == "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82\n\ncaf\xC3\xA9 softbreak");
}

TEST_CASE("parse: without a declared charset 8-bit text is UTF-8 or windows-1252", "[ingest][mime]") {
  REQUIRE(parse("Subject: x\n\ncaf\xC3\xA9\n").body == "caf\xC3\xA9");
  REQUIRE(parse("Subject: x\n\ncaf\xE9 \x93q\x94\n").body == "caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D");
}

TEST_CASE("parse: HTML without a charset parameter uses its meta charset", "[ingest][mime]") {
  auto m = parse("Content-Type: text/html\n\n<meta charset=\"koi8-r\"><p>\xF0\xD2\xC9\xD7\xC5\xD4</p>");
  REQUIRE(m.body == "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82");
}

TEST_CASE("parse: uuencoded blocks become attachments and leave the text", "[ingest][mime]") {
  auto m = parse(R"uu(Subject: old style

See the file below.

begin 644 hello.txt
M:&5L;&\@=75E;F-O9&5D('=O<FQD"FAE;&QO('5U96YC;V1E9"!W;W)L9 IH
596QL;R!U=65N8V]D960@=V]R;&0*
`
end

Thanks.
)uu");
  REQUIRE(m.attachments.size() == 1);
  REQUIRE(m.attachments[0].filename == "hello.txt");
  REQUIRE(m.attachments[0].size == 66);
  REQUIRE(contains(m.body, "See the file below."));
  REQUIRE(contains(m.body, "Thanks."));
  REQUIRE_FALSE(contains(m.body, "begin 644"));
  REQUIRE_FALSE(contains(m.body, "596QL"));
}

TEST_CASE("parse: gmime photo.uu is recognised as the attachment photo.jpg", "[ingest][mime]") {
  SKIP_WITHOUT_CORPUS();
  std::string uu = read_file(corpus_file("gmime/encodings/photo.uu"));
  auto m = parse("From: a@b.org\nSubject: photo\n\nHere is the photo:\n\n" + uu + "\nCheers\n");
  REQUIRE(m.attachments.size() == 1);
  REQUIRE(m.attachments[0].filename == "photo.jpg");
  REQUIRE(m.attachments[0].content_type == "image/jpeg");
  REQUIRE(m.attachments[0].size == 130292);
  REQUIRE(contains(m.body, "Here is the photo:"));
  REQUIRE(contains(m.body, "Cheers"));
  REQUIRE(m.body.size() < 100);
}

TEST_CASE("parse: Content-Transfer-Encoding x-uuencode is decoded", "[ingest][mime]") {
  auto m = parse(multipart({"Content-Type: text/plain\n\nbody",
                            "Content-Type: application/octet-stream; name=h.bin\n"
                            "Content-Transfer-Encoding: x-uuencode\n\nbegin 644 h.bin\n#:&D*\n`\nend"}));
  REQUIRE(attachment(m, "h.bin") != nullptr);
  REQUIRE(attachment(m, "h.bin")->size == 3);
}

// ---- broken mail --------------------------------------------------------------------------

TEST_CASE("broken: no blank line after the headers: the body is salvaged", "[ingest][mime]") {
  auto m = parse("Subject: s\nFrom: a@b.org\nthis line is the body\nand this\n");
  REQUIRE(m.subject == "s");
  REQUIRE(m.body == "this line is the body\nand this");
  REQUIRE(has_problem(m, "no blank line"));
}

TEST_CASE("broken: a multipart without boundary is read as text", "[ingest][mime]") {
  auto m = parse("Content-Type: multipart/mixed\n\nsome text\n");
  REQUIRE(m.body == "some text");
  REQUIRE(has_problem(m, "without boundary"));
}

TEST_CASE("broken: an empty boundary is read as text", "[ingest][mime]") {
  auto m = parse("Content-Type: multipart/mixed; boundary=\"\"\n\n--\nContent-Type: text/plain\n\nhi\n--\n");
  REQUIRE(contains(m.body, "hi"));
  REQUIRE(has_problem(m, "empty boundary"));
}

TEST_CASE("broken: a boundary that never appears leaves the body as text", "[ingest][mime]") {
  auto m = parse("Content-Type: multipart/mixed; boundary=XYZ_\n\n--XYZ\nContent-Type: text/plain\n\nmessage 1\n--XYZ--\n");
  REQUIRE(contains(m.body, "message 1"));
  REQUIRE(has_problem(m, "boundary not found"));
}

TEST_CASE("broken: an unterminated multipart keeps its last part", "[ingest][mime]") {
  auto m = parse("Content-Type: multipart/mixed; boundary=B\n\n--B\n\nfirst\n--B\n\nsecond, never closed\n");
  REQUIRE(m.body == "first\n\nsecond, never closed");
  REQUIRE(has_problem(m, "unterminated multipart"));
}

TEST_CASE("broken: a boundary in angle brackets is used as written", "[ingest][mime]") {
  auto m = parse("Content-Type: multipart/mixed; boundary=\"<<001-3e1d>>\"\n\n"
                 "--<<001-3e1d>>\nContent-Type: text/plain\n\ninside\n--<<001-3e1d>>--\n");
  REQUIRE(m.body == "inside");
  REQUIRE(m.problems.empty());
}

TEST_CASE("broken: boundaries only count at the start of a line and in full", "[ingest][mime]") {
  auto m = parse("Content-Type: multipart/mixed; boundary=x\n\n"
                 "--x\nContent-Type: text/plain\n\nsee a--x in the middle\n--xy\nnot a delimiter\n--x--\n");
  REQUIRE(m.body == "see a--x in the middle\n--xy\nnot a delimiter");
}

TEST_CASE("broken: two delimiter lines in a row do not make an empty part", "[ingest][mime]") {
  auto m = parse("Content-Type: multipart/mixed; boundary=ABCDE\n\n--ABCDE\nContent-Type: text/x-one\n\nBlah\n"
                 "--ABCDE\n--ABCDE\nContent-Type: text/x-two\n\nBlah\n--ABCDE--\n");
  REQUIRE(m.attachments.size() == 2);
  REQUIRE(m.body == "Blah\n\nBlah");
}

TEST_CASE("broken: NUL bytes and invalid UTF-8 never fail; output is valid UTF-8", "[ingest][mime]") {
  std::string raw = "Subject: bad \xFF\n";
  raw += "Content-Type: text/plain; charset=utf-8\n\nnul";
  raw += '\0';
  raw += "here \xC3\x28 end\n";
  auto m = parse(raw);
  REQUIRE(m.body.find('\0') == std::string::npos);
  REQUIRE(folio::ingest::is_valid_utf8(m.body));
  REQUIRE(folio::ingest::is_valid_utf8(m.subject));
  REQUIRE(contains(m.body, "end"));
  REQUIRE(has_problem(m, "NUL"));
}

TEST_CASE("broken: an empty message and a headers-only message", "[ingest][mime]") {
  auto empty = parse("");
  REQUIRE(empty.body.empty());
  REQUIRE(has_problem(empty, "no header fields"));
  auto headers_only = parse("Subject: only headers");
  REQUIRE(headers_only.subject == "only headers");
  REQUIRE(headers_only.body.empty());
}

// ---- limits -----------------------------------------------------------------------------------

TEST_CASE("limits: max_message_bytes refuses only larger messages", "[ingest][mime][limits]") {
  std::string raw = "Subject: x\n\nbody\n";
  ParseOptions o;
  o.limits.max_message_bytes = raw.size();
  REQUIRE(parse_message(raw, o).ok());
  o.limits.max_message_bytes = raw.size() - 1;
  auto r = parse_message(raw, o);
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().code == Code::kTooLarge);
}

TEST_CASE("limits: max_mime_depth: a leaf at the limit is read, one deeper is not",
          "[ingest][mime][limits]") {
  ParseOptions o;
  o.limits.max_mime_depth = 5;
  auto at = parse(nested(5, "deep text"), o);
  REQUIRE(at.body == "deep text");
  REQUIRE_FALSE(at.truncated);
  auto over = parse(nested(6, "deep text"), o);
  REQUIRE_FALSE(contains(over.body, "deep text"));
  REQUIRE(over.truncated);
  REQUIRE(has_problem(over, "nesting"));
  // The default limit (32) behaves the same way.
  REQUIRE(parse(nested(32, "d")).body == "d");
  REQUIRE(parse(nested(33, "d")).truncated);
}

TEST_CASE("limits: very deep nesting is cut at the limit without exhausting the stack",
          "[ingest][mime][limits]") {
  auto m = parse(nested(5000, "bottom"));
  REQUIRE(m.truncated);
  REQUIRE_FALSE(contains(m.body, "bottom"));
}

TEST_CASE("limits: max_parts counts every entity, the root included", "[ingest][mime][limits]") {
  std::vector<std::string> parts;
  for (int i = 0; i < 4; ++i) parts.push_back("Content-Type: text/plain\n\npart" + std::to_string(i));
  std::string raw = multipart(parts);  // root + 4 parts = 5 entities
  ParseOptions o;
  o.limits.max_parts = 5;
  auto at = parse(raw, o);
  REQUIRE(at.body == "part0\n\npart1\n\npart2\n\npart3");
  REQUIRE_FALSE(at.truncated);
  o.limits.max_parts = 4;
  auto over = parse(raw, o);
  REQUIRE(over.body == "part0\n\npart1\n\npart2");
  REQUIRE(over.truncated);
}

TEST_CASE("limits: max_headers: fields past the limit are ignored", "[ingest][mime][limits]") {
  std::string raw;
  for (int i = 0; i < 9; ++i) raw += "X-Filler-" + std::to_string(i) + ": v\n";
  raw += "Subject: the last field\n\nbody\n";  // 10 fields
  ParseOptions o;
  o.limits.max_headers = 10;
  auto at = parse(raw, o);
  REQUIRE(at.subject == "the last field");
  REQUIRE_FALSE(at.truncated);
  o.limits.max_headers = 9;
  auto over = parse(raw, o);
  REQUIRE(over.subject.empty());
  REQUIRE(over.body == "body");
  REQUIRE(over.truncated);
}

TEST_CASE("limits: max_text_bytes: text of exactly the limit is kept whole", "[ingest][mime][limits]") {
  std::string text(100, 'x');
  ParseOptions o;
  o.limits.max_text_bytes = 100;
  auto at = parse("Subject: t\n\n" + text + "\n", o);
  REQUIRE(at.body == text);
  REQUIRE_FALSE(at.truncated);
  o.limits.max_text_bytes = 99;
  auto over = parse("Subject: t\n\n" + text + "\n", o);
  REQUIRE(over.body == std::string(99, 'x'));
  REQUIRE(over.truncated);
}

TEST_CASE("limits: max_text_bytes never cuts inside a character", "[ingest][mime][limits]") {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "\xC3\xA9";
  ParseOptions o;
  o.limits.max_text_bytes = 99;
  auto m = parse("Content-Type: text/plain; charset=utf-8\n\n" + text, o);
  REQUIRE(m.body.size() == 98);
  REQUIRE(folio::ingest::is_valid_utf8(m.body));
  REQUIRE(m.truncated);
}

TEST_CASE("limits: max_references keeps the first id and the last ones", "[ingest][mime][limits]") {
  std::string raw = "References: <r1@x> <r2@x> <r3@x> <r4@x> <r5@x>\n\nb";
  ParseOptions o;
  o.limits.max_references = 5;
  REQUIRE(parse(raw, o).references == std::vector<std::string>{"r1@x", "r2@x", "r3@x", "r4@x", "r5@x"});
  o.limits.max_references = 4;
  REQUIRE(parse(raw, o).references == std::vector<std::string>{"r1@x", "r3@x", "r4@x", "r5@x"});
}

// ---- the shared corpus -------------------------------------------------------------------------

TEST_CASE("corpus: cpython msg_22 names its images wibble.JPG and wibble2.JPG", "[ingest][mime][corpus]") {
  SKIP_WITHOUT_CORPUS();
  auto m = parse(read_file(corpus_file("cpython/msg_22.txt")));
  REQUIRE(attachment(m, "wibble.JPG") != nullptr);
  REQUIRE(attachment(m, "wibble.JPG")->content_type == "image/jpeg");
  REQUIRE(attachment(m, "wibble2.JPG") != nullptr);
  REQUIRE(contains(m.body, "Text text text."));
}

TEST_CASE("corpus: cpython msg_33 finds parts through an RFC 2231 boundary", "[ingest][mime][corpus]") {
  SKIP_WITHOUT_CORPUS();
  auto m = parse(read_file(corpus_file("cpython/msg_33.txt")));
  REQUIRE(m.body == "part 1\n\npart 2");
}

TEST_CASE("corpus: notmuch html cases index neither attribute text nor the data: image",
          "[ingest][mime][corpus]") {
  SKIP_WITHOUT_CORPUS();
  auto attr = parse(read_file(corpus_file("notmuch/html/attribute-text")));
  REQUIRE(attr.body == "hunter2");
  REQUIRE(attachment(attr, "test.html") != nullptr);
  REQUIRE(attachment(attr, "test.html")->indexed_as_text);
  auto image = parse(read_file(corpus_file("notmuch/html/embedded-image")));
  REQUIRE(image.subject == "Tack alla trafikanter och fotg\xC3\xA4ngare!");
  REQUIRE(image.from == Address{"malmoborg", "daemon@lublin.se"});
  REQUIRE(contains(image.body, "Malm\xC3\xB6 2016-07-09"));
  REQUIRE_FALSE(contains(image.body, "R0lGOD"));
  REQUIRE_FALSE(contains(image.body, "data:"));
}

TEST_CASE("corpus: odd Message-IDs from the Pony Mail resources", "[ingest][mime][corpus]") {
  SKIP_WITHOUT_CORPUS();
  auto folded = parse(read_file(corpus_file("ponymail/foal-test-resources/jetspeed-user.portals.apache.org-27090.eml")));
  REQUIRE(folded.message_id ==
          "AB767F0FA88E184295B9FA55AA4617C102BAC3972F@BLR-HCLT-EVS06.HCLT.CORP.HCL.IN-1AAF5DAB-5B0B-7BC1-7E16-7904B17DF4C8");
  auto garbage = parse(read_file(corpus_file("ponymail/foal-test-resources/users.kafka.apache.org-43276.eml")));
  REQUIRE(garbage.message_id == "2021111716102807678710@emrubik.com");
  auto a5 = parse(read_file(corpus_file("ponymail/foal-test-resources/rfc2822-A5.eml")));
  REQUIRE(a5.message_id == "testabcd.1234@silly.test");
  REQUIRE(a5.subject == "This is a test7");
  REQUIRE(a5.date == -27723480);
  REQUIRE(a5.to.size() == 3);
  REQUIRE(a5.cc == std::vector<Address>{{"Cliff Skolnick", "cliffs@steam.com"}});
  REQUIRE(a5.references.size() == 4);
}

TEST_CASE("corpus: repeated Cc headers are merged (notmuch broken-cc)", "[ingest][mime][corpus]") {
  SKIP_WITHOUT_CORPUS();
  auto m = parse(read_file(corpus_file("notmuch/broken/broken-cc")));
  REQUIRE(m.cc == std::vector<Address>{{"Bob", "bob@example.org"}, {"Charles", "charles@example.org"}});
}

TEST_CASE("corpus: an empty message/rfc822 part does not stop parsing (notmuch empty-part)",
          "[ingest][mime][corpus]") {
  SKIP_WITHOUT_CORPUS();
  auto m = parse(read_file(corpus_file("notmuch/broken/empty-part")));
  REQUIRE(contains(m.body, "Mlmmj"));
  REQUIRE(has_problem(m, "empty message/rfc822"));
}

TEST_CASE("corpus: the tomcat angle-bracket boundary splits into parts", "[ingest][mime][corpus]") {
  SKIP_WITHOUT_CORPUS();
  auto m = parse(read_file(corpus_file("ponymail/corpus/tomcat-ancient-boundary.mbox")));
  REQUIRE(m.list_id == "tomcat-user.jakarta.apache.org");
  REQUIRE(contains(m.body, "Lajos"));
  REQUIRE_FALSE(contains(m.body, "<<001-3e1dcd5a-119e>>"));
  REQUIRE(m.problems.empty());
}

TEST_CASE("corpus: gmime rfc2060 nesting: every leaf text is reached", "[ingest][mime][corpus]") {
  SKIP_WITHOUT_CORPUS();
  auto m = parse(read_file(corpus_file("gmime/messages/rfc2060.msg")));
  for (const char* part : {"be: 1\n", "be: 3.1", "be: 4.2.1", "be: 4.2.2.1"}) {
    INFO(part);
    REQUIRE(contains(m.body, part));
  }
  REQUIRE_FALSE(contains(m.body, "be: 4.2.2.2"));  // the richtext alternative
  REQUIRE(m.attachments.size() == 3);             // 2 and 3.2 octet-stream, 4.1 gif
}

TEST_CASE("corpus: every file parses without failing and yields something", "[ingest][mime][corpus]") {
  SKIP_WITHOUT_CORPUS();
  std::size_t messages = 0;
  for (const auto& entry : fs::recursive_directory_iterator(corpus_file(""))) {
    if (!entry.is_regular_file() || entry.path().filename() == "MANIFEST.md") continue;
    std::string all = read_file(entry.path());
    std::vector<std::string> raws = entry.path().extension() == ".mbox" ? split_mbox(all)
                                                                         : std::vector<std::string>{all};
    for (const std::string& raw : raws) {
      INFO(entry.path().string());
      auto m = parse(raw);
      ++messages;
      bool something = !m.body.empty() || !m.subject.empty() || !m.from.addr.empty() ||
                       !m.message_id.empty() || !m.attachments.empty() || !m.list_id.empty();
      REQUIRE((something || !expects_content(raw)));
      REQUIRE(folio::ingest::is_valid_utf8(m.body));
      REQUIRE(folio::ingest::is_valid_utf8(m.subject));
      REQUIRE(folio::ingest::is_valid_utf8(m.from.name));
      REQUIRE(m.body.find('\0') == std::string::npos);
    }
  }
  REQUIRE(messages > 1700);
}

TEST_CASE("corpus: parsing on several threads gives the same results", "[ingest][mime][corpus]") {
  SKIP_WITHOUT_CORPUS();
  std::vector<std::string> raws;
  for (const auto& entry : fs::directory_iterator(corpus_file("notmuch/lkml/cur"))) {
    raws.push_back(read_file(entry.path()));
  }
  std::vector<std::string> expected;
  for (const auto& raw : raws) expected.push_back(parse(raw).subject + "\n" + parse(raw).body);
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = 0; i < raws.size(); ++i) {
        auto r = parse_message(raws[i], ParseOptions{});
        if (!r.ok() || r->subject + "\n" + r->body != expected[i]) ++mismatches[static_cast<std::size_t>(t)];
      }
    });
  }
  for (auto& th : threads) th.join();
  REQUIRE(mismatches == std::vector<int>(4, 0));
}
