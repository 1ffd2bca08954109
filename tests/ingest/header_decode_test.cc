// header_decode_test.cc: RFC 2047 words, RFC 2231 parameters, addresses, message ids and dates.
#include "ingest/header_decode.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/corpus.h"

using folio::model::Address;
using namespace folio::ingest;

namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The raw value of the first header field `name` in a message file.
std::string header_value(const std::string& raw, const std::string& name) {
  std::size_t pos = 0;
  while (pos < raw.size()) {
    std::size_t nl = raw.find('\n', pos);
    if (nl == std::string::npos) nl = raw.size();
    if (nl == pos) break;  // blank line: end of headers
    if (raw.compare(pos, name.size() + 1, name + ":") == 0) {
      std::size_t end = nl;
      while (end + 1 < raw.size() && (raw[end + 1] == ' ' || raw[end + 1] == '\t')) {
        end = raw.find('\n', end + 1);
        if (end == std::string::npos) end = raw.size();
      }
      return raw.substr(pos + name.size() + 1, end - pos - name.size() - 1);
    }
    pos = nl + 1;
  }
  return {};
}

}  // namespace

// ---- RFC 2047 ----------------------------------------------------------------

TEST_CASE("rfc2047: B and Q encoded words decode from their charset", "[ingest][header]") {
  REQUIRE(decode_words("=?utf-8?b?VGFjayBhbGxh?=") == "Tack alla");
  REQUIRE(decode_words("=?iso-8859-1?q?Essai_accentu=E9?=") == "Essai accentu\xC3\xA9");
  REQUIRE(decode_words("=?ISO-8859-1?Q?Essai_accentu=E9?=") == "Essai accentu\xC3\xA9");
  REQUIRE(decode_words("Re: =?koi8-r?b?8NLJ18XU?= all") ==
          "Re: \xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 all");
}

TEST_CASE("rfc2047: adjacent encoded words join without the space", "[ingest][header]") {
  REQUIRE(decode_words("=?utf-8?q?a?= =?utf-8?q?b?=") == "ab");
  REQUIRE(decode_words("=?utf-8?q?a?=\r\n =?utf-8?q?b?=") == "ab");
  REQUIRE(decode_words("=?iso-8859-1?q?caf=E9?= =?utf-8?q?=E2=82=AC?=") == "caf\xC3\xA9\xE2\x82\xAC");
}

TEST_CASE("rfc2047: space between an encoded word and plain text is kept", "[ingest][header]") {
  REQUIRE(decode_words("=?utf-8?q?a?= b =?utf-8?q?c?=") == "a b c");
}

TEST_CASE("rfc2047: a character split across two words survives", "[ingest][header]") {
  // U+00E9 is C3 A9; each byte is in its own base64 word.
  REQUIRE(decode_words("=?utf-8?b?ww==?= =?utf-8?b?qQ==?=") == "\xC3\xA9");
}

TEST_CASE("rfc2047: words with no space around them are still decoded", "[ingest][header]") {
  REQUIRE(decode_words("=?utf-8?q?a?==?utf-8?q?b?=") == "ab");
  REQUIRE(decode_words("foo=?utf-8?q?bar?=baz") == "foobarbaz");
  REQUIRE(decode_words("\"=?utf-8?q?J=C3=B6rg?=\"") == "\"J\xC3\xB6rg\"");
}

TEST_CASE("rfc2047: unknown charsets fall back to UTF-8 or windows-1252", "[ingest][header]") {
  REQUIRE(decode_words("=?x-unknown?q?caf=E9?=") == "caf\xC3\xA9");
  REQUIRE(decode_words("=?x-bogus?q?caf=C3=A9?=") == "caf\xC3\xA9");
}

TEST_CASE("rfc2047: malformed base64 and Q text are decoded leniently", "[ingest][header]") {
  REQUIRE(decode_words("=?utf-8?b?SGVs*bG8=?=") == "Hello");  // stray character skipped
  REQUIRE(decode_words("=?utf-8?b?SGVsbG?=") == "Hell");      // incomplete group
  REQUIRE(decode_words("=?utf-8?q?hello world?=") == "hello world");
  REQUIRE(decode_words("=?utf-8?q?100=%?=") == "100=%");
}

TEST_CASE("rfc2047: strings that are not encoded words stay literal", "[ingest][header]") {
  REQUIRE(decode_words("=?utf-8?x?abc?=") == "=?utf-8?x?abc?=");
  REQUIRE(decode_words("=?utf-8?q?never closed") == "=?utf-8?q?never closed");
  REQUIRE(decode_words("what =? is this") == "what =? is this");
}

TEST_CASE("rfc2047: the RFC 2231 language suffix is ignored", "[ingest][header]") {
  REQUIRE(decode_words("=?utf-8*en?q?hi?=") == "hi");
}

TEST_CASE("rfc2047: folding collapses and control characters become spaces", "[ingest][header]") {
  REQUIRE(decode_words("This\r\n    is\r\n     a\r\n test7  ") == "This is a test7");
  REQUIRE(decode_words("=?utf-8?q?a=0Ab=00c?=") == "a bc");
}

TEST_CASE("rfc2047: raw 8-bit header text is read as UTF-8 or windows-1252", "[ingest][header]") {
  REQUIRE(decode_words("caf\xC3\xA9") == "caf\xC3\xA9");
  REQUIRE(decode_words("caf\xE9") == "caf\xC3\xA9");
}

TEST_CASE("transfer: quoted-printable soft breaks, escapes and stray equals signs", "[ingest][header]") {
  REQUIRE(decode_quoted_printable("a=\r\nb=3D=c3=A9\n=ZZ", QpFlavor::kBody) == "ab=\xC3\xA9\n=ZZ");
  REQUIRE(decode_quoted_printable("tail= \nx", QpFlavor::kBody) == "tailx");
  REQUIRE(decode_quoted_printable("a_b", QpFlavor::kBody) == "a_b");
  REQUIRE(decode_quoted_printable("a_b", QpFlavor::kHeader) == "a b");
}

TEST_CASE("transfer: base64 skips line breaks and junk", "[ingest][header]") {
  REQUIRE(decode_base64("SGVs\r\nbG8g\nd29y bGQ=\n") == "Hello world");
  REQUIRE(decode_base64("").empty());
}

// ---- RFC 2231 and MIME parameters ---------------------------------------------------

TEST_CASE("rfc2231: continuations with charset and language are joined and decoded",
          "[ingest][header]") {
  auto f = parse_mime_field(
      "text/plain; charset=us-ascii;\n"
      "     title*0*=\"us-ascii'en'This%20is%20even%20more%20\";\n"
      "     title*1*=\"%2A%2A%2Afun%2A%2A%2A%20\";\n"
      "     title*2=\"isn't it!\"");
  REQUIRE(f.value == "text/plain");
  REQUIRE(f.param("charset")->value == "us-ascii");
  REQUIRE(f.param("title")->value == "This is even more ***fun*** isn't it!");
  REQUIRE(f.param("title")->extended);
}

TEST_CASE("rfc2231: the cpython msg_29 title parameter", "[ingest][header]") {
  SKIP_WITHOUT_CORPUS();
  auto raw = read_file(*folio::testing::shared_corpus() / "mime" / "cpython" / "msg_29.txt");
  auto f = parse_mime_field(header_value(raw, "Content-Type"));
  REQUIRE(f.param("title") != nullptr);
  REQUIRE(f.param("title")->value == "This is even more ***fun*** isn't it!");
}

TEST_CASE("rfc2231: values in a declared charset become UTF-8", "[ingest][header]") {
  auto f = parse_mime_field("attachment; filename*=utf-8''%E2%82%AC%20rates.pdf");
  REQUIRE(f.value == "attachment");
  REQUIRE(f.param("filename")->value == "\xE2\x82\xAC rates.pdf");
  REQUIRE(parse_mime_field("a; filename*=iso-8859-1'fr'caf%E9")
              .param("filename")->value == "caf\xC3\xA9");
  REQUIRE(parse_mime_field("text/plain; charset*=ansi-x3.4-1968''us-ascii")
              .param("charset")->value == "us-ascii");
}

TEST_CASE("rfc2231: sections are joined in numeric order", "[ingest][header]") {
  auto f = parse_mime_field("a; name*1=\"second\"; name*0=\"first-\"; name*10=\"-last\"");
  REQUIRE(f.param("name")->value == "first-second-last");
}

TEST_CASE("rfc2231: the extended form wins over a plain parameter", "[ingest][header]") {
  auto f = parse_mime_field("a; filename=\"fallback.txt\"; filename*=utf-8''real.txt");
  REQUIRE(f.param("filename")->value == "real.txt");
}

TEST_CASE("mime params: a boundary stays byte-exact, quoted or not", "[ingest][header]") {
  REQUIRE(parse_mime_field("multipart/mixed; boundary=\"<<001-3e1dcd5a-119e>>\"")
              .param("boundary")->value == "<<001-3e1dcd5a-119e>>");
  REQUIRE(parse_mime_field("multipart/mixed; boundary=----=_Part_1_=?x")
              .param("boundary")->value == "----=_Part_1_=?x");
  REQUIRE(parse_mime_field("multipart/signed; boundary*=\"ansi-x3.4-1968''EeQfGwPcQSOJBaQU\"")
              .param("boundary")->value == "EeQfGwPcQSOJBaQU");
  REQUIRE(parse_mime_field("multipart/mixed; boundary=\"a\\\"b\"").param("boundary")->value == "a\"b");
}

TEST_CASE("mime params: odd folding, spacing, case and comments are tolerated", "[ingest][header]") {
  auto f = parse_mime_field("Image/JPEG; name=\"wibble.JPG\"\n ; x-mac-type=\"4A504547\"\n ; X-Mac-Creator = \"474B4F4E\"");
  REQUIRE(f.value == "image/jpeg");
  REQUIRE(f.param("name")->value == "wibble.JPG");
  REQUIRE(f.param("x-mac-creator")->value == "474B4F4E");
  auto g = parse_mime_field("Text/PLAIN (a comment) ;; charset=\"utf-8");  // unbalanced quote
  REQUIRE(g.value == "text/plain");
  REQUIRE(g.param("charset")->value == "utf-8");
  auto h = parse_mime_field("text/plain charset=koi8-r");  // missing ';'
  REQUIRE(h.value == "text/plain");
  REQUIRE(h.param("charset")->value == "koi8-r");
  REQUIRE(parse_mime_field("").value.empty());
  REQUIRE(parse_mime_field("text/plain").param("charset") == nullptr);
}

// ---- addresses ------------------------------------------------------------------------

TEST_CASE("address: display name and addr-spec, domain lower-cased", "[ingest][header]") {
  auto a = parse_address_list("John Doe <John.Doe@Example.COM>");
  REQUIRE(a == std::vector<Address>{{"John Doe", "John.Doe@example.com"}});
}

TEST_CASE("address: quoted names may hold commas; lists split on commas", "[ingest][header]") {
  auto a = parse_address_list("\"Doe, John\" <jd@x.org>, b@y.org,\r\n\t\"Q\\\"uote\" <q@z.org>");
  REQUIRE(a == std::vector<Address>{{"Doe, John", "jd@x.org"}, {"", "b@y.org"}, {"Q\"uote", "q@z.org"}});
}

TEST_CASE("address: an unquoted comma inside a name does not split the mailbox", "[ingest][header]") {
  REQUIRE(parse_address_list("Doe, John <jd@x.org>") == std::vector<Address>{{"Doe, John", "jd@x.org"}});
}

TEST_CASE("address: a trailing comment names a bare addr-spec", "[ingest][header]") {
  REQUIRE(parse_address_list("bbb@ddd.com (John X. Doe)") ==
          std::vector<Address>{{"John X. Doe", "bbb@ddd.com"}});
  REQUIRE(parse_address_list("Martin <maechler@stat.math.ethz.ch> (Martin Maechler)") ==
          std::vector<Address>{{"Martin", "maechler@stat.math.ethz.ch"}});
}

TEST_CASE("address: comments inside the addr-spec and name are dropped (RFC 2822 A.5)",
          "[ingest][header]") {
  auto from = parse_address_list("Pete(A wonderful \\) chap) <pete(his account)@silly.test(his host)>");
  REQUIRE(from == std::vector<Address>{{"Pete", "pete@silly.test"}});
}

TEST_CASE("address: groups yield their members; empty groups yield nothing", "[ingest][header]") {
  auto to = parse_address_list(
      "A Group(Some people)\r\n     :Chris Jones <c@(Chris's host.)public.example>,\r\n"
      "         joe@example.org,\r\n  John <jdoe@one.test> (my dear friend); (the end of the group)");
  REQUIRE(to == std::vector<Address>{{"Chris Jones", "c@public.example"},
                                     {"", "joe@example.org"},
                                     {"John", "jdoe@one.test"}});
  REQUIRE(parse_address_list("(Empty list)(start)Undisclosed recipients  :(nobody(that I know))  ;").empty());
  REQUIRE(parse_address_list("undisclosed-recipients:;").empty());
}

TEST_CASE("address: the RFC 2822 A.5 message's To and Cc", "[ingest][header]") {
  SKIP_WITHOUT_CORPUS();
  auto raw = read_file(*folio::testing::shared_corpus() / "mime" / "ponymail" / "foal-test-resources" /
                       "rfc2822-A5.eml");
  REQUIRE(parse_address_list(header_value(raw, "To")).size() == 3);
  REQUIRE(parse_address_list(header_value(raw, "From")) ==
          std::vector<Address>{{"Pete", "pete@silly.test"}});
}

TEST_CASE("address: encoded-word display names are decoded, also inside quotes", "[ingest][header]") {
  REQUIRE(parse_address_list("=?utf-8?b?bWFsbW9ib3Jn?= <daemon@lublin.se>") ==
          std::vector<Address>{{"malmoborg", "daemon@lublin.se"}});
  REQUIRE(parse_address_list("\"=?utf-8?q?J=C3=B6rg?= Doe\" <j@x.org>") ==
          std::vector<Address>{{"J\xC3\xB6rg Doe", "j@x.org"}});
}

TEST_CASE("address: pipermail 'user at host' is restored only when asked", "[ingest][header]") {
  AddressOptions pipermail{true};
  REQUIRE(parse_address_list("edd at debian.org (Dirk Eddelbuettel)", pipermail) ==
          std::vector<Address>{{"Dirk Eddelbuettel", "edd@debian.org"}});
  REQUIRE(parse_address_list("Dan.Kelley at Dal.Ca (Daniel Kelley)", pipermail) ==
          std::vector<Address>{{"Daniel Kelley", "Dan.Kelley@dal.ca"}});
  REQUIRE(parse_address_list("Dirk <edd at debian.org>", pipermail) ==
          std::vector<Address>{{"Dirk", "edd@debian.org"}});
  auto plain = parse_address_list("edd at debian.org (Dirk Eddelbuettel)");
  REQUIRE(plain.size() == 1);
  REQUIRE(plain[0].addr.empty());
}

TEST_CASE("address: pipermail restoration leaves quoted strings and comments alone", "[ingest][header]") {
  AddressOptions pipermail{true};
  REQUIRE(parse_address_list("\"Joe at Work.com\" <joe at x.org>", pipermail) ==
          std::vector<Address>{{"Joe at Work.com", "joe@x.org"}});
  REQUIRE(parse_address_list("joe at x.org (Joe at home.org)", pipermail) ==
          std::vector<Address>{{"Joe at home.org", "joe@x.org"}});
}

TEST_CASE("address: local names, obsolete routes and garbage", "[ingest][header]") {
  REQUIRE(parse_address_list("root") == std::vector<Address>{{"", "root"}});
  REQUIRE(parse_address_list("<@a.org,@b.org:user@C.org>") == std::vector<Address>{{"", "user@c.org"}});
  REQUIRE(parse_address_list("<>").empty());
  REQUIRE(parse_address_list(" ,;, ").empty());
  REQUIRE(parse_address_list("\"\" <x@y.z>") == std::vector<Address>{{"", "x@y.z"}});
  REQUIRE(parse_address_list("\"Jane\" jane@x.org") == std::vector<Address>{{"Jane", "jane@x.org"}});
}

// ---- message ids -----------------------------------------------------------------------

TEST_CASE("message-id: brackets, space and comments are stripped", "[ingest][header]") {
  REQUIRE(parse_message_id("<a@b>") == "a@b");
  REQUIRE(parse_message_id(" \r\n  <testabcd.1234@silly.test>\r\n") == "testabcd.1234@silly.test");
  REQUIRE(parse_message_id("(comment) <x@y> (added by postmaster@btinternet.com)") == "x@y");
  REQUIRE(parse_message_ids("<x@y> (added by postmaster@btinternet.com)") == std::vector<std::string>{"x@y"});
}

TEST_CASE("message-id: an id folded over lines loses its white space", "[ingest][header]") {
  REQUIRE(parse_message_id("<AB767F0F@BLR-HCLT-EVS06.HCLT.\r\n\tCORP.HCL.IN-1AAF5DAB>") ==
          "AB767F0F@BLR-HCLT-EVS06.HCLT.CORP.HCL.IN-1AAF5DAB");
}

TEST_CASE("message-id: garbage after '>' is ignored", "[ingest][header]") {
  REQUIRE(parse_message_ids("<2021111716102807678710@emrubik.com>+942C722077850D4E") ==
          std::vector<std::string>{"2021111716102807678710@emrubik.com"});
}

TEST_CASE("message-id: ids without a closing '>' end at the next '<' or the end", "[ingest][header]") {
  REQUIRE(parse_message_ids("<a@b c  <d@e>") == std::vector<std::string>{"a@bc", "d@e"});
  REQUIRE(parse_message_id("<1083144246.26036.1.camel@23.13\r\n \tyum.ot\r\n \t \tyum") ==
          "1083144246.26036.1.camel@23.13yum.otyum");
}

TEST_CASE("message-id: lists keep order; bare ids count; empty ids do not", "[ingest][header]") {
  REQUIRE(parse_message_ids("<a@b>,<c@d>\r\n\t<e@f> g@h <>") ==
          std::vector<std::string>{"a@b", "c@d", "e@f", "g@h"});
  REQUIRE(parse_message_id("<a@b> <c@d>") == "a@b");
  REQUIRE(parse_message_ids("Your message of Mon, 1 Jan 2001").empty());
  REQUIRE(parse_message_id("").empty());
}

// ---- dates ---------------------------------------------------------------------------------

TEST_CASE("date: RFC 5322 and obsolete forms give UTC epoch seconds", "[ingest][header]") {
  struct Case {
    const char* text;
    std::int64_t epoch;
  };
  const Case cases[] = {
      {"Fri, 22 May 2015 06:38:22 -0500", 1432294702},
      {"22 May 2015 06:38 -0500", 1432294680},                      // no day name, no seconds
      {"Fri, 22 May 15 06:38:22 GMT", 1432276702},                  // 2-digit year
      {"Fri, 1 Jan 99 00:00:00 GMT", 915148800},                    // 2-digit year, 19xx
      {"Mon, 1 Jan 101 00:00:00 GMT", 978307200},                   // 3-digit year
      {"Fri, 22 May 2015 13:38:22 EDT", 1432316302},
      {"Fri, 22 May 2015 13:38:22 PDT", 1432327102},
      {"Fri, 22 May 2015 13:38:22 CEST", 1432294702},
      {"Fri, 22 May 2015 13:38:22 +05:30", 1432282102},
      {"Fri, 22 May 2015 13:38:22 GMT+0200", 1432294702},
      {"Fri, 22 May 2015 13:38:22 +0000 (UTC)", 1432301902},
      {"Fri May 22 13:38:22 2015", 1432301902},                     // asctime
      {"2015-05-22T13:38:22Z", 1432301902},
      {"2015-05-22 15:38:22 +0200", 1432301902},
      {"2000/07/11", 963273600},
      {"Mon, 5 Jan 2004 1:05:00 PM -0800", 1073336700},
      {"Sat, 31 Dec 2016 23:59:60 +0000", 1483228799},              // leap second
      {"Mon, 29 Feb 2016 12:00:00 +0000", 1456747200},
      {"Thu,\r\n      13\r\n        Feb\r\n          1969\r\n      23:32\r\n"
       "               -0330 (Newfoundland Time)", -27723480},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto t = parse_date(c.text);
    REQUIRE(t.has_value());
    REQUIRE(*t == c.epoch);
  }
}

TEST_CASE("date: garbage and impossible dates are not present", "[ingest][header]") {
  for (const char* text : {"", "garbage", "Thu Jan 01 00:00:10 +0000", "32 Jan 2015 00:00:00",
                           "Sun, 29 Feb 2015 00:00:00", "31 Apr 2015 10:00", "1 Jan 2015 25:00:00",
                           "1 Foo 2015 10:00", "2015-13-01", "99999999999999999999 Jan 2015"}) {
    INFO(text);
    REQUIRE_FALSE(parse_date(text).has_value());
  }
}
