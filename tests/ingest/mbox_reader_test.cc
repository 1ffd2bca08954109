// mbox_reader_test.cc: From_ splitting, mboxrd unescaping, CRLF, buffer boundaries, real mbox files.
#include "ingest/mbox_reader.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "ingest/byte_source.h"
#include "tests/support/corpus.h"

namespace folio::ingest {
namespace {

using model::Code;

std::vector<std::string> split(const std::string& mbox, MboxOptions options = {}) {
  auto source = ByteSource::from_memory(mbox, "test.mbox");
  MboxReader reader(*source, options);
  std::vector<std::string> out;
  for (;;) {
    auto msg = reader.next();
    REQUIRE(msg.ok());
    if (!*msg) break;
    out.push_back(std::move(**msg));
  }
  return out;
}

std::vector<std::string> split_dated(const std::string& mbox) {
  MboxOptions options;
  options.rule = FromLineRule::kDatedFromLine;
  return split(mbox, options);
}

std::size_t count_file(const std::filesystem::path& path, FromLineRule rule) {
  auto source = ByteSource::open(path);
  REQUIRE(source.ok());
  MboxOptions options;
  options.rule = rule;
  MboxReader reader(**source, options);
  std::size_t n = 0;
  for (;;) {
    auto msg = reader.next();
    REQUIRE(msg.ok());
    if (!*msg) return n;
    ++n;
  }
}

const std::string kThree =
    "From alice@example.org Mon Jan  1 10:00:00 2001\n"
    "Subject: one\n"
    "\n"
    "body one\n"
    "\n"
    "From bob@example.org Mon Jan  1 11:00:00 2001\n"
    "Subject: two\n"
    "\n"
    "body two\n"
    "\n"
    "From carol@example.org Mon Jan  1 12:00:00 2001\n"
    "Subject: three\n"
    "\n"
    "body three\n"
    "\n";

}  // namespace

TEST_CASE("mbox: splits at From_ lines and leaves the From_ line out", "[ingest][mbox]") {
  auto msgs = split(kThree);
  REQUIRE(msgs.size() == 3);
  CHECK(msgs[0] == "Subject: one\n\nbody one\n");
  CHECK(msgs[1] == "Subject: two\n\nbody two\n");
  CHECK(msgs[2] == "Subject: three\n\nbody three\n");
}

TEST_CASE("mbox: only the one blank line before the next From_ line is removed",
          "[ingest][mbox]") {
  auto msgs = split(
      "From a Mon Jan  1 10:00:00 2001\nS: 1\n\nbody\n\n\n"
      "From b Mon Jan  1 10:00:00 2001\nS: 2\n\nno blank line before From\n"
      "From c Mon Jan  1 10:00:00 2001\nS: 3\n\nlast\n\n\n");
  REQUIRE(msgs.size() == 3);
  CHECK(msgs[0] == "S: 1\n\nbody\n\n");
  CHECK(msgs[1] == "S: 2\n\nno blank line before From\n");
  CHECK(msgs[2] == "S: 3\n\nlast\n\n");
}

TEST_CASE("mbox: a body line >From is unescaped once", "[ingest][mbox]") {
  auto msgs = split(
      "From a Mon Jan  1 10:00:00 2001\n"
      "S: x\n\n"
      ">From here\n"
      ">>From there\n"
      ">>>From afar\n"
      "> From quoted\n"
      ">Fromage\n"
      ">From\n"
      "x>From y\n");
  REQUIRE(msgs.size() == 1);
  CHECK(msgs[0] ==
        "S: x\n\nFrom here\n>From there\n>>From afar\n> From quoted\n>Fromage\n>From\n"
        "x>From y\n");
}

TEST_CASE("mbox: a CRLF mbox splits and keeps its CRLF line endings", "[ingest][mbox]") {
  const std::string crlf =
      "From a Mon Jan  1 10:00:00 2001\r\nS: 1\r\n\r\nbody\r\n>From x\r\n\r\n"
      "From b Mon Jan  1 10:00:00 2001\r\nS: 2\r\n\r\nbody 2\r\n\r\n";
  for (FromLineRule rule : {FromLineRule::kAnyFromLine, FromLineRule::kDatedFromLine}) {
    MboxOptions options;
    options.rule = rule;
    auto msgs = split(crlf, options);
    REQUIRE(msgs.size() == 2);
    CHECK(msgs[0] == "S: 1\r\n\r\nbody\r\nFrom x\r\n");
    CHECK(msgs[1] == "S: 2\r\n\r\nbody 2\r\n");
  }
}

TEST_CASE("mbox: a last line without a newline is kept", "[ingest][mbox]") {
  auto msgs = split("From a Mon Jan  1 10:00:00 2001\nS: 1\n\nend without newline");
  REQUIRE(msgs.size() == 1);
  CHECK(msgs[0] == "S: 1\n\nend without newline");
  msgs = split("From a Mon Jan  1 10:00:00 2001\nS: 1\n\n>From x");
  REQUIRE(msgs.size() == 1);
  CHECK(msgs[0] == "S: 1\n\nFrom x");
}

TEST_CASE("mbox: empty and blank-only input hold no message", "[ingest][mbox]") {
  CHECK(split("").empty());
  CHECK(split("\n\n\r\n").empty());
  CHECK(split_dated("").empty());
}

TEST_CASE("mbox: a From_ line with nothing after it is one empty message", "[ingest][mbox]") {
  auto msgs = split("From a Mon Jan  1 10:00:00 2001\n");
  REQUIRE(msgs.size() == 1);
  CHECK(msgs[0].empty());
  msgs = split("From a Mon Jan  1 10:00:00 2001\n\nFrom b Mon Jan  1 10:00:00 2001\nS: 2\n");
  REQUIRE(msgs.size() == 2);
  CHECK(msgs[0].empty());
  CHECK(msgs[1] == "S: 2\n");
}

TEST_CASE("mbox: leading blank lines are skipped and text before any From_ line is kept",
          "[ingest][mbox]") {
  auto msgs = split("\n\nFrom a Mon Jan  1 10:00:00 2001\nS: 1\n");
  REQUIRE(msgs.size() == 1);
  CHECK(msgs[0] == "S: 1\n");

  auto source = ByteSource::from_memory(
      "Subject: stray\n\ntext\n\nFrom a Mon Jan  1 10:00:00 2001\nS: 1\n", "stray.mbox");
  MboxReader reader(*source);
  auto first = reader.next();
  REQUIRE(first.ok());
  REQUIRE(*first);
  CHECK(**first == "Subject: stray\n\ntext\n");
  CHECK(reader.from_line().empty());
  auto second = reader.next();
  REQUIRE(second.ok());
  REQUIRE(*second);
  CHECK(**second == "S: 1\n");
  CHECK(reader.from_line() == "From a Mon Jan  1 10:00:00 2001");
  CHECK(reader.message_number() == 2);
}

TEST_CASE("mbox: from_line and message_number describe the message last returned",
          "[ingest][mbox]") {
  auto source = ByteSource::from_memory(kThree, "three.mbox");
  MboxReader reader(*source);
  CHECK(reader.message_number() == 0);
  REQUIRE(reader.next().ok());
  CHECK(reader.from_line() == "From alice@example.org Mon Jan  1 10:00:00 2001");
  CHECK(reader.message_number() == 1);
  REQUIRE(reader.next().ok());
  REQUIRE(reader.next().ok());
  CHECK(reader.from_line() == "From carol@example.org Mon Jan  1 12:00:00 2001");
  CHECK(reader.message_number() == 3);
  auto end = reader.next();
  REQUIRE(end.ok());
  CHECK(!*end);
  CHECK(reader.consumed() == kThree.size());
}

TEST_CASE("mbox: the any-From rule splits at every From line, the dated rule only at dated ones",
          "[ingest][mbox]") {
  const std::string mbox =
      "From a at example.org  Tue Apr  1 09:28:56 1997\nFrom: a at example.org\n\n"
      "From the help page:\nsee ?strptime\n\n"
      "From b at example.org  Tue Apr  1 10:00:00 1997\nFrom: b at example.org\n\nhi\n";
  CHECK(split(mbox).size() == 3);
  auto msgs = split_dated(mbox);
  REQUIRE(msgs.size() == 2);
  CHECK(msgs[0] == "From: a at example.org\n\nFrom the help page:\nsee ?strptime\n");
}

TEST_CASE("mbox: the first line separates even without a date", "[ingest][mbox]") {
  auto msgs = split_dated("From \nList-Id: <x.example.org>\n");
  REQUIRE(msgs.size() == 1);
  CHECK(msgs[0] == "List-Id: <x.example.org>\n");
  msgs = split("From - \nS: 1\n\nFrom - \nS: 2\n");  // GMime's bare "From -" separators
  REQUIRE(msgs.size() == 2);
  CHECK(msgs[1] == "S: 2\n");
}

TEST_CASE("mbox: the dated rule accepts a From_ line folded onto an indented line",
          "[ingest][mbox]") {
  // As in r-devel, January 2001: Mailman 2 folded a From_ line with a quote in it.
  const std::string mbox =
      "From a at example.org  Mon Jan 15 12:00:00 2001\nFrom: a\n\nfirst\n\n"
      "From jens@example.de\"\n <jens@example.de  Mon Jan 15 12:58:00 2001\n"
      "From: jens\n\nsecond\n\n"
      "From unfolded body line\n  not a date\n";
  auto source = ByteSource::from_memory(mbox, "folded.mbox");
  MboxOptions options;
  options.rule = FromLineRule::kDatedFromLine;
  MboxReader reader(*source, options);
  REQUIRE(reader.next().ok());
  auto second = reader.next();
  REQUIRE(second.ok());
  REQUIRE(*second);
  CHECK(**second == "From: jens\n\nsecond\n\nFrom unfolded body line\n  not a date\n");
  CHECK(reader.from_line() == "From jens@example.de\"\n <jens@example.de  Mon Jan 15 12:58:00 2001");
  auto end = reader.next();
  REQUIRE(end.ok());
  CHECK(!*end);
}

TEST_CASE("mbox: ends_in_mbox_date knows From_ dates from prose", "[ingest][mbox]") {
  struct Case {
    const char* line;
    bool dated;
  };
  const Case cases[] = {
      {"From maechler at stat.math.ethz.ch  Tue Apr  1 11:48:02 1997", true},
      {"From x@y.org Mon Jan 15 12:58:00 2001", true},
      {"From x@y.org Mon Jan 15 12:58 2001", true},
      {"From x@y.org Mon Jan 15 12:58:00 2001 +0100", true},
      {"From x@y.org Mon Jan 15 12:58:00 PST 2001", true},
      {"From x@y.org Mon, 15 Jan 2001 12:58:00 +0100", true},
      {"From - Mon Jan 15 12:58:00 2001", true},
      {"From the help page for strptime:", false},
      {"From R >=2.7.0, it seems you should also be able to write", false},
      {"From 9:30 to 10:00 on Mar 3 2015", false},
      {"From 3.3.0 on, it starts like this", false},
      {"From x@y.org 12:58:00 2001", false},
      {"From ", false},
  };
  for (const Case& c : cases) {
    INFO(c.line);
    CHECK(ends_in_mbox_date(c.line) == c.dated);
  }
}

TEST_CASE("mbox: the split does not depend on how the input is cut into reads",
          "[ingest][mbox]") {
  std::string mbox = kThree;
  mbox += "From jens@example.de\"\n <jens@example.de  Mon Jan 15 12:58:00 2001\nS: f\n\n";
  mbox += "From d Mon Jan  1 13:00:00 2001\r\nS: crlf\r\n\r\n>From esc\r\n\r\n";
  mbox += "From e Mon Jan  1 14:00:00 2001\nS: long\n\n" + std::string(5000, 'x') + "\n";
  mbox += "From not a separator in dated mode\n>>From y\n\n";
  mbox += "From f Mon Jan  1 15:00:00 2001\nS: last\n\nno newline";
  for (FromLineRule rule : {FromLineRule::kAnyFromLine, FromLineRule::kDatedFromLine}) {
    MboxOptions whole;
    whole.rule = rule;
    const auto expected = split(mbox, whole);
    CHECK(expected.size() == (rule == FromLineRule::kAnyFromLine ? 8u : 7u));
    for (std::size_t read_size : {1, 2, 3, 5, 7, 13, 64, 999}) {
      INFO("read_size " << read_size);
      MboxOptions options = whole;
      options.read_size = read_size;
      CHECK(split(mbox, options) == expected);
    }
  }
}

TEST_CASE("mbox: a line longer than 64 KiB is body text even if it starts with From",
          "[ingest][mbox]") {
  const std::string long_line = "From " + std::string(70 * 1024, 'x') + " Mon Jan  1 10:00:00 2001\n";
  const std::string mbox = "From a Mon Jan  1 10:00:00 2001\nS: 1\n\n" + long_line + ">" + long_line;
  for (std::size_t read_size : {std::size_t{1} << 20, std::size_t{4096}}) {
    MboxOptions options;
    options.read_size = read_size;
    auto msgs = split(mbox, options);
    REQUIRE(msgs.size() == 1);
    CHECK(msgs[0] == "S: 1\n\n" + long_line + ">" + long_line);
  }
}

TEST_CASE("mbox: a message over max_message_bytes fails with kTooLarge, and keeps failing",
          "[ingest][mbox]") {
  const std::string mbox = "From a Mon Jan  1 10:00:00 2001\nS: small\n\n" +
                           std::string("From b Mon Jan  1 10:00:00 2001\nS: big\n\n") +
                           std::string(200, 'x') + "\n";
  auto source = ByteSource::from_memory(mbox, "big.mbox");
  MboxOptions options;
  options.max_message_bytes = 100;
  options.read_size = 16;
  MboxReader reader(*source, options);
  auto first = reader.next();
  REQUIRE(first.ok());
  CHECK(**first == "S: small\n");
  auto second = reader.next();
  REQUIRE(!second.ok());
  CHECK(second.error().code == Code::kTooLarge);
  CHECK_THAT(second.error().message, Catch::Contains("big.mbox:#2"));
  auto third = reader.next();
  REQUIRE(!third.ok());
  CHECK(third.error().code == Code::kTooLarge);
}

TEST_CASE("mbox: Pony Mail archives split into the messages Pony Mail counts",
          "[ingest][mbox][corpus]") {
  SKIP_WITHOUT_CORPUS();
  const auto dir = *testing::shared_corpus() / "mime" / "ponymail" / "corpus";
  // Entry counts from the corpus MANIFEST (which agree with Python's mailbox.mbox).
  CHECK(count_file(dir / "maven-dev-2017-11-listsao.mbox", FromLineRule::kAnyFromLine) == 320);
  CHECK(count_file(dir / "maven-dev-2017-11-mailarchivesao.mbox", FromLineRule::kAnyFromLine) == 317);
  CHECK(count_file(dir / "maven-dev-2017-11-mboxvm.mbox", FromLineRule::kAnyFromLine) == 317);
  CHECK(count_file(dir / "httpd-users-2020-07.mbox", FromLineRule::kAnyFromLine) == 108);
  CHECK(count_file(dir / "no_date.mbox", FromLineRule::kAnyFromLine) == 1);
  const auto gmime = *testing::shared_corpus() / "mime" / "gmime" / "mbox" / "substring.mbox";
  CHECK(count_file(gmime, FromLineRule::kAnyFromLine) == 3);
}

TEST_CASE("mbox: archivers' different >From escaping is undone by one level",
          "[ingest][mbox][corpus]") {
  SKIP_WITHOUT_CORPUS();
  const auto dir = *testing::shared_corpus() / "mime" / "ponymail" / "corpus";
  auto only_message = [](const std::filesystem::path& path) {
    auto source = ByteSource::open(path);
    REQUIRE(source.ok());
    MboxReader reader(**source);
    auto msg = reader.next();
    REQUIRE(msg.ok());
    REQUIRE(*msg);
    return std::move(**msg);
  };
  const std::string body_line = "From \"Failed to create parent directories\"";
  CHECK_THAT(only_message(dir / "maven-dev-2017-11-124652-listsao.mbox"),
             Catch::Contains("\n>" + body_line));
  CHECK_THAT(only_message(dir / "maven-dev-2017-11-124652-mboxvm.mbox"),
             Catch::Contains("\n>>" + body_line));
}

}  // namespace folio::ingest
