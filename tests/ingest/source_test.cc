// source_test.cc: byte sources (plain, gzip, xz), format detection and read_messages over files, trees and the R lists.
#include "ingest/source.h"

#include <catch2/catch.hpp>
#include <lzma.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "ingest/byte_source.h"
#include "tests/support/corpus.h"
#include "tests/support/temp_dir.h"

namespace folio::ingest {
namespace {

namespace fs = std::filesystem;
using model::Code;
using testing::TempDir;
using testing::write_file;

// One gzip member holding `data`.
std::string gzip(const std::string& data) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// One .xz stream holding `data`.
std::string xz(const std::string& data) {
  std::string out(lzma_stream_buffer_bound(data.size()), '\0');
  std::size_t pos = 0;
  REQUIRE(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr,
                                  reinterpret_cast<const std::uint8_t*>(data.data()), data.size(),
                                  reinterpret_cast<std::uint8_t*>(out.data()), &pos,
                                  out.size()) == LZMA_OK);
  out.resize(pos);
  return out;
}

// Reads a whole source in small pieces, REQUIRE-ing success.
std::string drain(ByteSource& source) {
  std::string out;
  char buf[1000];
  for (;;) {
    auto n = source.read(buf, sizeof buf);
    REQUIRE(n.ok());
    if (*n == 0) return out;
    out.append(buf, *n);
  }
}

// Reads a whole source and returns the first error (REQUIRE-ing one).
model::Error drain_error(ByteSource& source) {
  char buf[1000];
  for (;;) {
    auto n = source.read(buf, sizeof buf);
    if (!n.ok()) return n.error();
    REQUIRE(*n != 0);
  }
}

std::string some_text(int lines) {
  std::string s;
  for (int i = 0; i < lines; ++i) s += "line " + std::to_string(i * 7919 % 1000) + " of text\n";
  return s;
}

const std::string kMbox =
    "From alice@example.org Mon Jan  1 10:00:00 2001\n"
    "From: Alice <alice@example.org>\nSubject: one\n\nbody one\n\n"
    "From bob@example.org Mon Jan  1 11:00:00 2001\n"
    "From: Bob <bob@example.org>\nSubject: two\nReceived: by mx\n\n>From body\n\n";

const std::string kPipermail =
    "From alice at example.org  Tue Apr  1 09:28:56 1997\n"
    "From: alice at example.org (Alice)\nDate: Tue, 1 Apr 1997 10:28:56 +0200\n"
    "Subject: one\nMessage-ID: <1@example.org>\n\nbody one\n\n"
    "From the help page:\n\n"
    "From bob at example.org  Tue Apr  1 10:00:00 1997\n"
    "From: bob at example.org (Bob)\nDate: Tue, 1 Apr 1997 11:00:00 +0200\n"
    "Subject: two\nMessage-ID: <2@example.org>\n\nbody two\n\n";

struct Collected {
  std::vector<RawMessage> messages;
  model::Status status;
};

Collected collect(const fs::path& path, Format format = Format::kAuto) {
  Collected c;
  c.status = read_messages(path, format, [&](RawMessage&& m) {
    c.messages.push_back(std::move(m));
    return true;
  });
  return c;
}

Format detected(const fs::path& path) {
  auto f = detect_format(path);
  REQUIRE(f.ok());
  return *f;
}

}  // namespace

TEST_CASE("source: format names round-trip and unknown names are refused", "[ingest][source]") {
  for (Format f : {Format::kAuto, Format::kMbox, Format::kPipermail, Format::kMaildir,
                   Format::kEml}) {
    auto parsed = parse_format(format_name(f));
    REQUIRE(parsed.ok());
    CHECK(*parsed == f);
  }
  CHECK(format_name(Format::kPipermail) == "pipermail");
  auto bad = parse_format("mbx");
  REQUIRE(!bad.ok());
  CHECK(bad.error().code == Code::kInvalidArgument);
}

TEST_CASE("bytes: a plain file reads back unchanged and is consumed to its size",
          "[ingest][bytes]") {
  TempDir t;
  const std::string text = some_text(5000);
  write_file(t.sub("plain.txt"), text);
  auto source = ByteSource::open(t.sub("plain.txt"));
  REQUIRE(source.ok());
  CHECK((*source)->compression() == Compression::kNone);
  CHECK(drain(**source) == text);
  CHECK((*source)->consumed() == text.size());
}

TEST_CASE("bytes: gzip is decompressed, including concatenated members and zero padding",
          "[ingest][bytes]") {
  TempDir t;
  const std::string a = some_text(3000), b = some_text(10);
  write_file(t.sub("one.gz"), gzip(a));
  write_file(t.sub("two.gz"), gzip(a) + gzip(b) + gzip(""));
  write_file(t.sub("padded.gz"), gzip(b) + std::string(512, '\0'));
  for (auto [name, expected] : {std::pair{"one.gz", a}, {"two.gz", a + b}, {"padded.gz", b}}) {
    INFO(name);
    auto source = ByteSource::open(t.sub(name));
    REQUIRE(source.ok());
    CHECK((*source)->compression() == Compression::kGzip);
    CHECK(drain(**source) == expected);
    CHECK((*source)->consumed() == fs::file_size(t.sub(name)));
  }
}

TEST_CASE("bytes: xz is decompressed, including concatenated streams", "[ingest][bytes]") {
  TempDir t;
  const std::string a = some_text(3000), b = some_text(10);
  write_file(t.sub("two.xz"), xz(a) + xz(b));
  auto source = ByteSource::open(t.sub("two.xz"));
  REQUIRE(source.ok());
  CHECK((*source)->compression() == Compression::kXz);
  CHECK(drain(**source) == a + b);
  CHECK((*source)->consumed() == fs::file_size(t.sub("two.xz")));
}

TEST_CASE("bytes: corrupt or truncated gzip and xz data is kIOError naming the file",
          "[ingest][bytes]") {
  TempDir t;
  const std::string text = some_text(3000);
  std::string bad_gz = gzip(text);
  bad_gz[bad_gz.size() / 2] ^= 0x55;
  std::string bad_xz = xz(text);
  bad_xz[bad_xz.size() / 2] ^= 0x55;
  const std::string gz = gzip(text), x = xz(text);
  const std::pair<const char*, std::string> cases[] = {
      {"flipped.gz", bad_gz},
      {"flipped.xz", bad_xz},
      {"truncated.gz", gz.substr(0, gz.size() - 10)},
      {"truncated.xz", x.substr(0, x.size() - 10)},
      {"garbage-after.gz", gz + "trailing junk"},
      {"garbage-after.xz", x + "trailing junk"},
  };
  for (const auto& [name, bytes] : cases) {
    INFO(name);
    write_file(t.sub(name), bytes);
    auto source = ByteSource::open(t.sub(name));
    REQUIRE(source.ok());
    model::Error e = drain_error(**source);
    CHECK(e.code == Code::kIOError);
    CHECK_THAT(e.message, Catch::Contains(name));
    char buf[10];
    auto again = (*source)->read(buf, sizeof buf);  // the error is sticky
    REQUIRE(!again.ok());
    CHECK(again.error().code == Code::kIOError);
  }
}

TEST_CASE("bytes: a missing file is kNotFound and a directory kInvalidArgument",
          "[ingest][bytes]") {
  TempDir t;
  auto missing = ByteSource::open(t.sub("missing.mbox"));
  REQUIRE(!missing.ok());
  CHECK(missing.error().code == Code::kNotFound);
  CHECK_THAT(missing.error().message, Catch::Contains("missing.mbox"));
  auto dir = ByteSource::open(t.path());
  REQUIRE(!dir.ok());
  CHECK(dir.error().code == Code::kInvalidArgument);
}

TEST_CASE("bytes: memory sources sniff compression like files do", "[ingest][bytes]") {
  auto source = ByteSource::from_memory(gzip("hello"), "stdin");
  CHECK(source->compression() == Compression::kGzip);
  CHECK(drain(*source) == "hello");
  auto empty = ByteSource::from_memory("", "empty");
  CHECK(drain(*empty).empty());
}

TEST_CASE("bytes: read_whole_file stops at its limit with kTooLarge", "[ingest][bytes]") {
  TempDir t;
  write_file(t.sub("m.eml.xz"), xz(std::string(200000, 'x')));
  auto whole = read_whole_file(t.sub("m.eml.xz"), 200000);
  REQUIRE(whole.ok());
  CHECK(whole->size() == 200000);
  auto over = read_whole_file(t.sub("m.eml.xz"), 199999);
  REQUIRE(!over.ok());
  CHECK(over.error().code == Code::kTooLarge);
}

TEST_CASE("detect: mbox, pipermail, eml and maildir are told apart", "[ingest][source]") {
  TempDir t;
  write_file(t.sub("list.mbox"), kMbox);
  write_file(t.sub("list.txt"), kPipermail);
  write_file(t.sub("list.txt.xz"), xz(kPipermail));
  write_file(t.sub("list.mbox.gz"), gzip(kMbox));
  write_file(t.sub("one.eml"), "From: a@example.org\nSubject: x\n\nFrom the start\n");
  write_file(t.sub("empty"), "");
  write_file(t.sub("maildir/sub/cur/1"), "From: a\n\nx\n");
  write_file(t.sub("emls/a.eml"), "From: a\n\nx\n");
  CHECK(detected(t.sub("list.mbox")) == Format::kMbox);
  CHECK(detected(t.sub("list.txt")) == Format::kPipermail);
  CHECK(detected(t.sub("list.txt.xz")) == Format::kPipermail);
  CHECK(detected(t.sub("list.mbox.gz")) == Format::kMbox);
  CHECK(detected(t.sub("one.eml")) == Format::kEml);
  CHECK(detected(t.sub("empty")) == Format::kEml);
  CHECK(detected(t.sub("maildir")) == Format::kMaildir);
  CHECK(detected(t.sub("emls")) == Format::kEml);
  auto missing = detect_format(t.sub("nothing"));
  REQUIRE(!missing.ok());
  CHECK(missing.error().code == Code::kNotFound);
}

TEST_CASE("detect: pipermail is recognised by its From: header or by its few header fields",
          "[ingest][source]") {
  TempDir t;
  // Real address in the From_ line, obfuscated one in the From: header.
  write_file(t.sub("at-header.txt"),
             "From alice@example.org  Tue Apr  1 09:28:56 1997\n"
             "From: alice at example.org (Alice)\nSubject: x\n\nbody\n\n");
  // Real addresses throughout, as in r-devel before 2003, but only pipermail's fields.
  write_file(t.sub("old.txt"),
             "From Martin <m@example.org>  Tue Apr  1 09:28:56 1997\n"
             "From: Martin <m@example.org>\nDate: Tue, 1 Apr 97 10:28:56 +0200\n"
             "Subject: x\nIn-Reply-To: <0@example.org>\n (message from M)\n"
             "Message-ID: <1@example.org>\n\nbody\n\n");
  // "at" in a subject is not an address.
  write_file(t.sub("subject-at.mbox"),
             "From a@example.org Mon Jan  1 10:00:00 2001\n"
             "From: a@example.org\nSubject: meet at noon\nContent-Type: text/plain\n\nx\n");
  CHECK(detected(t.sub("at-header.txt")) == Format::kPipermail);
  CHECK(detected(t.sub("old.txt")) == Format::kPipermail);
  CHECK(detected(t.sub("subject-at.mbox")) == Format::kMbox);
}

TEST_CASE("read: an mbox gives numbered origins, its format and growing progress",
          "[ingest][source]") {
  TempDir t;
  write_file(t.sub("list.mbox"), kMbox);
  auto c = collect(t.sub("list.mbox"));
  REQUIRE(c.status.ok());
  REQUIRE(c.messages.size() == 2);
  CHECK(c.messages[0].origin == t.sub("list.mbox") + ":#1");
  CHECK(c.messages[1].origin == t.sub("list.mbox") + ":#2");
  CHECK(c.messages[1].bytes ==
        "From: Bob <bob@example.org>\nSubject: two\nReceived: by mx\n\nFrom body\n");
  CHECK(c.messages[0].format == Format::kMbox);
  CHECK(c.messages[0].input_done <= c.messages[1].input_done);
  CHECK(c.messages[1].input_done == kMbox.size());
  CHECK(input_size(t.sub("list.mbox")) == kMbox.size());
}

TEST_CASE("read: pipermail splits only at dated From_ lines and says kPipermail",
          "[ingest][source]") {
  TempDir t;
  write_file(t.sub("list.txt.gz"), gzip(kPipermail));
  auto c = collect(t.sub("list.txt.gz"));
  REQUIRE(c.status.ok());
  REQUIRE(c.messages.size() == 2);
  CHECK(c.messages[0].format == Format::kPipermail);
  CHECK_THAT(c.messages[0].bytes, Catch::EndsWith("body one\n\nFrom the help page:\n"));
  // The same file forced to plain mbox splits at the unescaped body line too.
  CHECK(collect(t.sub("list.txt.gz"), Format::kMbox).messages.size() == 3);
}

TEST_CASE("read: a single file is one message with the path as origin", "[ingest][source]") {
  TempDir t;
  const std::string eml = "From: a@example.org\r\nSubject: x\r\n\r\nno final newline";
  write_file(t.sub("m.eml.gz"), gzip(eml));
  auto c = collect(t.sub("m.eml.gz"));
  REQUIRE(c.status.ok());
  REQUIRE(c.messages.size() == 1);
  CHECK(c.messages[0].bytes == eml);
  CHECK(c.messages[0].origin == t.sub("m.eml.gz"));
  CHECK(c.messages[0].format == Format::kEml);
}

TEST_CASE("read: empty files hold no message in any format", "[ingest][source]") {
  TempDir t;
  write_file(t.sub("empty"), "");
  write_file(t.sub("empty.xz"), xz(""));
  for (Format f : {Format::kAuto, Format::kMbox, Format::kPipermail, Format::kEml}) {
    INFO(format_name(f));
    auto c = collect(t.sub("empty"), f);
    CHECK(c.status.ok());
    CHECK(c.messages.empty());
    c = collect(t.sub("empty.xz"), f);
    CHECK(c.status.ok());
    CHECK(c.messages.empty());
  }
}

TEST_CASE("read: a CRLF mbox without a final newline reads whole", "[ingest][source]") {
  TempDir t;
  write_file(t.sub("crlf.mbox"),
             "From a Mon Jan  1 10:00:00 2001\r\nS: 1\r\n\r\nx\r\n\r\n"
             "From b Mon Jan  1 10:00:00 2001\r\nS: 2\r\n\r\ny");
  auto c = collect(t.sub("crlf.mbox"), Format::kMbox);
  REQUIRE(c.status.ok());
  REQUIRE(c.messages.size() == 2);
  CHECK(c.messages[0].bytes == "S: 1\r\n\r\nx\r\n");
  CHECK(c.messages[1].bytes == "S: 2\r\n\r\ny");
}

TEST_CASE("read: maildir and .eml trees give one message per file, in path order",
          "[ingest][source]") {
  TempDir t;
  write_file(t.sub("md/new/2"), "two");
  write_file(t.sub("md/cur/1"), "one");
  write_file(t.sub("md/cur/0"), "");
  write_file(t.sub("emls/b.eml"), "b");
  write_file(t.sub("emls/a.eml.xz"), xz("a"));
  auto md = collect(t.sub("md"));
  REQUIRE(md.status.ok());
  REQUIRE(md.messages.size() == 2);
  CHECK(md.messages[0].bytes == "one");
  CHECK(md.messages[0].origin == (t.path() / "md" / "cur" / "1").string());
  CHECK(md.messages[0].format == Format::kMaildir);
  CHECK(md.messages[1].input_done == 6);
  CHECK(input_size(t.sub("md")) == 6);
  auto emls = collect(t.sub("emls"));
  REQUIRE(emls.status.ok());
  REQUIRE(emls.messages.size() == 2);
  CHECK(emls.messages[0].bytes == "a");
  CHECK(emls.messages[1].bytes == "b");
  CHECK(emls.messages[1].format == Format::kEml);
}

TEST_CASE("read: the sink can stop the reading early", "[ingest][source]") {
  TempDir t;
  write_file(t.sub("list.mbox"), kMbox);
  int seen = 0;
  auto status = read_messages(t.sub("list.mbox"), Format::kAuto, [&](RawMessage&&) {
    ++seen;
    return false;
  });
  CHECK(status.ok());
  CHECK(seen == 1);
}

TEST_CASE("read: a missing path is kNotFound", "[ingest][source]") {
  TempDir t;
  for (Format f : {Format::kAuto, Format::kMbox, Format::kMaildir, Format::kEml}) {
    auto c = collect(t.sub("gone.mbox"), f);
    REQUIRE(!c.status.ok());
    CHECK(c.status.error().code == Code::kNotFound);
    CHECK_THAT(c.status.error().message, Catch::Contains("gone.mbox"));
  }
  CHECK(input_size(t.sub("gone.mbox")) == 0);
}

TEST_CASE("read: corrupt compressed mbox data is kIOError after the good messages",
          "[ingest][source]") {
  TempDir t;
  std::string mbox;
  for (int i = 0; i < 2000; ++i) {
    mbox += "From a" + std::to_string(i) + "@example.org Mon Jan  1 10:00:00 2001\n";
    mbox += "Subject: " + std::to_string(i) + "\n\n" + some_text(20) + "\n";
  }
  std::string gz = gzip(mbox);
  gz[gz.size() * 3 / 4] ^= 0x55;
  std::string x = xz(mbox);
  x[x.size() * 3 / 4] ^= 0x55;
  write_file(t.sub("bad.mbox.gz"), gz);
  write_file(t.sub("bad.mbox.xz"), x);
  for (const char* name : {"bad.mbox.gz", "bad.mbox.xz"}) {
    INFO(name);
    auto c = collect(t.sub(name), Format::kMbox);
    REQUIRE(!c.status.ok());
    CHECK(c.status.error().code == Code::kIOError);
    CHECK_THAT(c.status.error().message, Catch::Contains(name));
    CHECK(c.messages.size() < 2000);
  }
}

TEST_CASE("read: r-announce is pipermail with 699 messages, each starting with From:",
          "[ingest][source][corpus]") {
  SKIP_WITHOUT_CORPUS();
  const fs::path path = *testing::shared_corpus() / "lists" / "r-announce.mbox.xz";
  CHECK(detected(path) == Format::kPipermail);
  auto c = collect(path);
  REQUIRE(c.status.ok());
  // `xz -dc r-announce.mbox.xz | grep -c '^From '` = 699, all of them dated.
  REQUIRE(c.messages.size() == 699);
  std::size_t starting_with_from = 0;
  for (const RawMessage& m : c.messages) starting_with_from += m.bytes.rfind("From: ", 0) == 0;
  CHECK(starting_with_from == 699);
  CHECK(c.messages[0].format == Format::kPipermail);
  CHECK(c.messages[0].origin == path.string() + ":#1");
  CHECK(c.messages[698].origin == path.string() + ":#699");
  CHECK(c.messages[698].input_done == fs::file_size(path));
}

// The independent counts, from the shell: lines starting "From " that end in a
// ctime date (grep -cE '^From .*[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9]
// [0-9:]{8} [0-9]{4}$'), which are exactly the From_ lines followed by a From:
// header, plus r-devel's 3 folded From_ lines. Plain `grep -c '^From '`
// counts more (r-devel 77,381), because Mailman 2 left some body lines such as
// "From the help page:" unescaped; `grep -c '^Message-ID:'` (r-devel 77,440)
// counts the headers of forwarded messages quoted in bodies.
TEST_CASE("read: r-devel splits into 77,345 messages in a few seconds",
          "[ingest][source][corpus]") {
  SKIP_WITHOUT_CORPUS();
  const fs::path path = *testing::shared_corpus() / "lists" / "r-devel.mbox.xz";
  CHECK(detected(path) == Format::kPipermail);
  std::size_t n = 0, starting_with_from = 0;
  auto status = read_messages(path, Format::kAuto, [&](RawMessage&& m) {
    ++n;
    starting_with_from += m.bytes.rfind("From: ", 0) == 0;
    return true;
  });
  REQUIRE(status.ok());
  CHECK(n == 77345);
  CHECK(starting_with_from == n);
}

TEST_CASE("read: every R list has its independently counted messages",
          "[.][ingest][source][corpus][slow]") {
  SKIP_WITHOUT_CORPUS();
  const std::pair<const char*, std::size_t> lists[] = {
      {"r-announce", 699},  {"r-devel", 77345},   {"r-package-devel", 11114},
      {"r-sig-finance", 15332}, {"r-sig-geo", 29586}, {"r-sig-mac", 15107},
      {"r-sig-mixed-models", 18619}};
  for (const auto& [name, expected] : lists) {
    INFO(name);
    const fs::path path = *testing::shared_corpus() / "lists" / (std::string(name) + ".mbox.xz");
    CHECK(detected(path) == Format::kPipermail);
    std::size_t n = 0;
    REQUIRE(read_messages(path, Format::kAuto, [&](RawMessage&&) { return ++n, true; }).ok());
    CHECK(n == expected);
  }
}

}  // namespace folio::ingest
