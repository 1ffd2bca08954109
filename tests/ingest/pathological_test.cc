// pathological_test.cc: parse_message on hostile mail (issue 6): each is parsed within the
// limits or refused with a clear reason, and within a (loose) time bound.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <string>

#include "ingest/byte_source.h"
#include "ingest/header_decode.h"
#include "ingest/mbox_reader.h"
#include "ingest/mime_parser.h"
#include "tests/support/build_kind.h"

using folio::model::Code;
using folio::model::ParsedMessage;
using folio::ingest::ParseOptions;
using folio::ingest::parse_message;

using namespace std::string_literals;

namespace {

// Sanitizers slow parsing down several times; the bounds are about hangs
// and quadratic blow-ups, not speed.
constexpr double kSlack = folio::testing::kAddressSanitizer ? 6 : 1;

constexpr double kBoundSeconds = 5 * kSlack;

// Parses `raw` and checks it took less than kBoundSeconds.
folio::model::Result<ParsedMessage> timed_parse(const std::string& raw, const ParseOptions& options = {}) {
  auto start = std::chrono::steady_clock::now();
  auto r = parse_message(raw, options);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO("parse took " << s << " s");
  CHECK(s < kBoundSeconds);
  return r;
}

ParsedMessage parse_ok(const std::string& raw, const ParseOptions& options = {}) {
  auto r = timed_parse(raw, options);
  REQUIRE(r.ok());
  return std::move(r).value();
}

bool has_problem(const ParsedMessage& m, const std::string& needle) {
  return std::any_of(m.problems.begin(), m.problems.end(),
                     [&](const std::string& p) { return p.find(needle) != std::string::npos; });
}

const std::string kHead =
    "From: Alice <alice@example.org>\r\n"
    "To: list@example.org\r\n"
    "Date: Sun, 01 Mar 2015 17:17:33 +0000\r\n"
    "Message-ID: <patho@example.org>\r\n";

// Base64 text of at least `decoded` bytes, in 76-column lines of 57 bytes each.
std::string base64_lines(std::size_t decoded) {
  std::string line(76, 'Q');
  line += "\r\n";
  std::size_t lines = (decoded + 56) / 57;
  std::string out;
  out.reserve(lines * line.size());
  for (std::size_t i = 0; i < lines; ++i) out += line;
  return out;
}

// A message with a text part and an attachment of `decoded` bytes in base64.
std::string with_attachment(std::size_t decoded) {
  return kHead +
         "Subject: big attachment\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: multipart/mixed; boundary=XX\r\n\r\n"
         "--XX\r\nContent-Type: text/plain\r\n\r\nsee the attached file\r\n"
         "--XX\r\nContent-Type: application/octet-stream; name=\"big.bin\"\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" +
         base64_lines(decoded) + "--XX--\r\n";
}

}  // namespace

TEST_CASE("pathological: a 50 MB attachment (as sent) is parsed and its text kept", "[ingest][pathological]") {
  std::string raw = with_attachment((50u << 20) / 78 * 57);  // 50 MiB on the wire
  REQUIRE(raw.size() > (49u << 20));
  REQUIRE(raw.size() < ParseOptions{}.limits.max_message_bytes);
  auto m = parse_ok(raw);
  REQUIRE(m.attachments.size() == 1);
  CHECK(m.attachments[0].filename == "big.bin");
  CHECK(m.attachments[0].size >= (50u << 20) / 78 * 57);
  CHECK(m.body.find("see the attached file") != std::string::npos);
  CHECK_FALSE(m.truncated);
}

TEST_CASE("pathological: a 50 MB attachment (decoded) is refused over the size limit, kept under a raised one",
          "[ingest][pathological]") {
  std::string raw = with_attachment(50u << 20);  // ~68 MiB on the wire
  auto refused = timed_parse(raw);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == Code::kTooLarge);
  CHECK(refused.error().message.find(std::to_string(ParseOptions{}.limits.max_message_bytes)) != std::string::npos);

  ParseOptions big;
  big.limits.max_message_bytes = 128u << 20;
  auto m = parse_ok(raw, big);
  REQUIRE(m.attachments.size() == 1);
  CHECK(m.attachments[0].size >= (50u << 20));
}

TEST_CASE("pathological: 10,000 parts stop at max_parts, marked truncated", "[ingest][pathological]") {
  std::string raw = kHead + "Subject: many parts\r\nContent-Type: multipart/mixed; boundary=P\r\n\r\n";
  for (int i = 0; i < 10000; ++i) {
    raw += "--P\r\nContent-Type: text/plain\r\n\r\npart" + std::to_string(i) + "\r\n";
  }
  raw += "--P--\r\n";
  auto m = parse_ok(raw);
  CHECK(m.truncated);
  CHECK(has_problem(m, "more than 1000 MIME parts"));
  CHECK(m.body.find("part0") != std::string::npos);
  CHECK(m.body.find("part9999") == std::string::npos);
}

TEST_CASE("pathological: MIME nested 1,000 deep stops at max_mime_depth", "[ingest][pathological]") {
  std::string raw = kHead + "Subject: deep\r\n";
  std::string tail;
  for (int i = 0; i < 1000; ++i) {
    std::string b = "b" + std::to_string(i);
    raw += "Content-Type: multipart/mixed; boundary=" + b + "\r\n\r\n--" + b + "\r\n";
    tail = "\r\n--" + b + "--\r\n" + tail;
  }
  raw += "Content-Type: text/plain\r\n\r\ndeepest text" + tail;
  auto m = parse_ok(raw);
  CHECK(m.truncated);
  CHECK(has_problem(m, "MIME nesting deeper than 32"));

  // message/rfc822 nesting takes the same road.
  std::string rfc = "Subject: innermost\r\n\r\nbottom\r\n";
  for (int i = 0; i < 1000; ++i) rfc = "Content-Type: message/rfc822\r\nSubject: level\r\n\r\n" + rfc;
  auto m2 = parse_ok(kHead + rfc);
  CHECK(m2.truncated);
}

TEST_CASE("pathological: a 1 MB header line is read", "[ingest][pathological]") {
  std::string subject(1u << 20, 'x');
  for (std::size_t i = 100; i < subject.size(); i += 100) subject[i] = ' ';
  auto m = parse_ok(kHead + "Subject: " + subject + "\r\n\r\nbody\r\n");
  CHECK(m.subject.size() > 1000000);
  CHECK(m.body == "body");

  // One 1 MB To: of 50,000 addresses.
  std::string to = "To: ";
  for (int i = 0; i < 50000; ++i) to += "u" + std::to_string(i) + "@example.org, ";
  auto m2 = parse_ok(kHead + to + "\r\nSubject: many\r\n\r\nbody\r\n");
  CHECK(m2.to.size() == 50001);  // with kHead's To:
}

TEST_CASE("pathological: NUL bytes in headers and body", "[ingest][pathological]") {
  std::string raw = kHead + "Subject: a\0b"s + "\r\n\r\nbefore\0after\0\0\0end\r\n"s;
  auto m = parse_ok(raw);
  CHECK(m.body.find('\0') == std::string::npos);
  CHECK(m.body.find("after") != std::string::npos);
  CHECK(has_problem(m, "NUL bytes"));
  // A message of nothing but NULs.
  auto m2 = parse_ok(std::string(1u << 20, '\0'));
  CHECK(m2.body.find('\0') == std::string::npos);
}

TEST_CASE("pathological: invalid UTF-8 declared as UTF-8 becomes U+FFFD", "[ingest][pathological]") {
  std::string bad = "ok \xC3\x28 \xA0\xA1 \xF0\x28\x8C\xBC \xED\xA0\x80 \xC0\xAF end";
  std::string raw = kHead + "Subject: =?UTF-8?Q?=C3=28_x?= " + bad +
                    "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + bad + "\r\n";
  auto m = parse_ok(raw);
  CHECK(m.body.find("\xEF\xBF\xBD") != std::string::npos);
  CHECK(m.body.find("end") != std::string::npos);
  CHECK(m.body.find("\xC0\xAF") == std::string::npos);
  CHECK(m.subject.find("\xC3\x28") == std::string::npos);
}

TEST_CASE("pathological: a boundary that never closes keeps the parts", "[ingest][pathological]") {
  std::string raw = kHead + "Subject: open\r\nContent-Type: multipart/mixed; boundary=NEVER\r\n\r\n"
                    "--NEVER\r\nContent-Type: text/plain\r\n\r\nfirst part\r\n"
                    "--NEVER\r\nContent-Type: text/plain\r\n\r\nsecond part, no end\r\n" +
                    std::string(1u << 20, 'z');
  auto m = parse_ok(raw);
  CHECK(has_problem(m, "unterminated multipart"));
  CHECK(m.body.find("first part") != std::string::npos);
  CHECK(m.body.find("second part") != std::string::npos);

  // A boundary that never even opens.
  auto m2 = parse_ok(kHead + "Content-Type: multipart/mixed; boundary=NOPE\r\n\r\njust text\r\n");
  CHECK(has_problem(m2, "boundary not found"));
}

TEST_CASE("pathological: a Message-ID of 10 KB", "[ingest][pathological]") {
  std::string id(10 * 1024, 'i');
  std::string raw = "From: a@example.org\r\nMessage-ID: <" + id + "@example.org>\r\nSubject: long id\r\n\r\nbody\r\n";
  auto m = parse_ok(raw);
  CHECK(m.message_id == id + "@example.org");
  CHECK(folio::ingest::parse_message_ids("<" + id + ">").size() == 1);
}

TEST_CASE("pathological: References with 100,000 ids are capped at max_references", "[ingest][pathological]") {
  std::string refs = "References:";
  for (int i = 0; i < 100000; ++i) refs += " <r" + std::to_string(i) + "@example.org>\r\n";
  auto m = parse_ok(kHead + refs + "In-Reply-To: <r99999@example.org>\r\nSubject: refs\r\n\r\nbody\r\n");
  CHECK(m.references.size() == ParseOptions{}.limits.max_references);
  CHECK(m.references.front() == "r0@example.org");
  CHECK(m.references.back() == "r99999@example.org");
  CHECK(m.in_reply_to == "r99999@example.org");
}

TEST_CASE("pathological: 100,000 header fields stop at max_headers", "[ingest][pathological]") {
  std::string raw = kHead;
  for (int i = 0; i < 100000; ++i) raw += "X-Junk-" + std::to_string(i) + ": v\r\n";
  raw += "Subject: after junk\r\n\r\nbody\r\n";
  auto m = parse_ok(raw);
  CHECK(m.truncated);
  CHECK(has_problem(m, "header fields"));
}

TEST_CASE("pathological: an mbox of one 8 MB line and 100,000 empty messages", "[ingest][pathological]") {
  std::string mbox = "From a Tue Apr  1 09:28:56 1997\n" + std::string(8u << 20, 'l') + "\n\n";
  for (int i = 0; i < 100000; ++i) mbox += "From b Tue Apr  1 09:28:56 1997\n\n";
  auto start = std::chrono::steady_clock::now();
  auto source = folio::ingest::ByteSource::from_memory(std::move(mbox), "patho");
  folio::ingest::MboxReader reader(*source);
  std::size_t count = 0;
  for (;;) {
    auto next = reader.next();
    if (!next.ok()) FAIL(next.error().to_string());
    if (!next->has_value()) break;
    ++count;
  }
  CHECK(count == 100001);
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < kBoundSeconds);
}
