// maildir_reader_test.cc: which files of a maildir or .eml tree are messages, their order, and reading them.
#include "ingest/maildir_reader.h"

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "tests/support/corpus.h"
#include "tests/support/temp_dir.h"

namespace folio::ingest {
namespace {

namespace fs = std::filesystem;
using model::Code;
using testing::TempDir;
using testing::write_file;

// Paths of the listed files, relative to `root`, as generic strings.
std::vector<std::string> listed(const fs::path& root, DirLayout layout) {
  auto files = list_message_files(root, layout);
  REQUIRE(files.ok());
  std::vector<std::string> out;
  for (const MessageFile& f : *files) out.push_back(f.path.lexically_relative(root).generic_string());
  return out;
}

std::vector<std::string> read_all(MaildirReader& reader) {
  std::vector<std::string> out;
  for (;;) {
    auto msg = reader.next();
    REQUIRE(msg.ok());
    if (!*msg) return out;
    out.push_back(std::move((*msg)->bytes));
  }
}

}  // namespace

TEST_CASE("maildir: cur/ and new/ are read in path order and tmp/ is skipped",
          "[ingest][maildir]") {
  TempDir t;
  write_file(t.path() / "new" / "3.host", "three");
  write_file(t.path() / "cur" / "2.host:2,S", "two");
  write_file(t.path() / "cur" / "1.host:2,", "one");
  write_file(t.path() / "tmp" / "4.host", "in delivery");
  CHECK(listed(t.path(), DirLayout::kMaildir) ==
        std::vector<std::string>{"cur/1.host:2,", "cur/2.host:2,S", "new/3.host"});
  auto reader = MaildirReader::open(t.path(), DirLayout::kMaildir, 1 << 20);
  REQUIRE(reader.ok());
  CHECK(reader->file_count() == 3);
  CHECK(reader->total_size() == 11);
  CHECK(read_all(*reader) == std::vector<std::string>{"one", "two", "three"});
  CHECK(reader->consumed() == 11);
}

TEST_CASE("maildir: maildir++ folders are read; other dot directories, dot files and IMAP "
          "bookkeeping are not",
          "[ingest][maildir]") {
  TempDir t;
  write_file(t.path() / "cur" / "1", "inbox");
  write_file(t.path() / ".Sent" / "cur" / "2", "sent");
  write_file(t.path() / ".Sent" / "maildirfolder", "");
  write_file(t.path() / ".Sent.2019" / "new" / "3", "sent 2019");
  write_file(t.path() / ".Sent.2019" / "tmp" / "4", "in delivery");
  write_file(t.path() / ".notmuch" / "xapian" / "postlist.glass", "index");
  write_file(t.path() / "cur" / ".hidden", "editor swap");
  write_file(t.path() / "dovecot-uidlist", "3 V1 N4");
  write_file(t.path() / "dovecot.index.log", "log");
  write_file(t.path() / "subscriptions", "Sent");
  CHECK(listed(t.path(), DirLayout::kMaildir) ==
        std::vector<std::string>{".Sent/cur/2", ".Sent.2019/new/3", "cur/1"});
}

TEST_CASE("maildir: files beside cur/ and new/ are read too, as notmuch does",
          "[ingest][maildir]") {
  TempDir t;
  write_file(t.path() / "01:2,", "top");
  write_file(t.path() / "bar" / "18:2,", "beside");
  write_file(t.path() / "bar" / "cur" / "19:2,", "in cur");
  write_file(t.path() / "plain" / "tmp" / "5", "tmp outside a maildir folder");
  CHECK(listed(t.path(), DirLayout::kMaildir) ==
        std::vector<std::string>{"01:2,", "bar/18:2,", "bar/cur/19:2,", "plain/tmp/5"});
}

TEST_CASE("maildir: a plain directory yields only its .eml files", "[ingest][maildir]") {
  TempDir t;
  write_file(t.path() / "b.eml", "b");
  write_file(t.path() / "A.EML", "a");
  write_file(t.path() / "sub" / "c.eml.gz", "not really gzip");
  write_file(t.path() / "README", "not mail");
  write_file(t.path() / "list.mbox", "From x\n");
  write_file(t.path() / ".d.eml", "hidden");
  write_file(t.path() / ".git" / "e.eml", "hidden dir");
  CHECK(listed(t.path(), DirLayout::kEmlFiles) ==
        std::vector<std::string>{"A.EML", "b.eml", "sub/c.eml.gz"});
}

TEST_CASE("maildir: contains_maildir looks for cur/ or new/ at any depth", "[ingest][maildir]") {
  TempDir t;
  write_file(t.path() / "a.eml", "x");
  CHECK_FALSE(contains_maildir(t.path()));
  CHECK_FALSE(contains_maildir(t.path() / "a.eml"));
  CHECK_FALSE(contains_maildir(t.path() / "missing"));
  fs::create_directories(t.path() / "lists" / "r-devel" / "new");
  CHECK(contains_maildir(t.path()));
}

TEST_CASE("maildir: a missing root is kNotFound and a file root kInvalidArgument",
          "[ingest][maildir]") {
  TempDir t;
  auto missing = list_message_files(t.path() / "nope", DirLayout::kMaildir);
  REQUIRE(!missing.ok());
  CHECK(missing.error().code == Code::kNotFound);
  CHECK_THAT(missing.error().message, Catch::Contains("nope"));
  write_file(t.path() / "f", "x");
  auto file = MaildirReader::open(t.path() / "f", DirLayout::kMaildir, 1 << 20);
  REQUIRE(!file.ok());
  CHECK(file.error().code == Code::kInvalidArgument);
}

TEST_CASE("maildir: a file moved away after listing is skipped", "[ingest][maildir]") {
  TempDir t;
  write_file(t.path() / "new" / "1", "one");
  write_file(t.path() / "new" / "2", "two");
  auto reader = MaildirReader::open(t.path(), DirLayout::kMaildir, 1 << 20);
  REQUIRE(reader.ok());
  fs::remove(t.path() / "new" / "1");
  CHECK(read_all(*reader) == std::vector<std::string>{"two"});
}

TEST_CASE("maildir: a file over the limit is kTooLarge and reading goes on after it",
          "[ingest][maildir]") {
  TempDir t;
  write_file(t.path() / "cur" / "1", std::string(100, 'x'));
  write_file(t.path() / "cur" / "2", "small");
  auto reader = MaildirReader::open(t.path(), DirLayout::kMaildir, 10);
  REQUIRE(reader.ok());
  auto big = reader->next();
  REQUIRE(!big.ok());
  CHECK(big.error().code == Code::kTooLarge);
  auto small = reader->next();
  REQUIRE(small.ok());
  REQUIRE(*small);
  CHECK((*small)->bytes == "small");
}

TEST_CASE("maildir: the notmuch corpus gives its 53 files, sorted, 52 distinct",
          "[ingest][maildir][corpus]") {
  SKIP_WITHOUT_CORPUS();
  const fs::path root = *testing::shared_corpus() / "mime" / "notmuch" / "default";
  CHECK(contains_maildir(root));
  auto names = listed(root, DirLayout::kMaildir);
  REQUIRE(names.size() == 53);
  CHECK(names.front() == "01:2,");
  CHECK(names[2] == "bar/17:2,");
  CHECK(names.back() == "new/04:2,");
  auto reader = MaildirReader::open(root, DirLayout::kMaildir, 1 << 20);
  REQUIRE(reader.ok());
  auto bytes = read_all(*reader);
  REQUIRE(bytes.size() == 53);
  // bar/18:2, and cur/51:2, are byte-identical copies (corpus MANIFEST).
  CHECK(std::set<std::string>(bytes.begin(), bytes.end()).size() == 52);
  CHECK(reader->consumed() == reader->total_size());
}

}  // namespace folio::ingest
