// pathological_test.cc: hostile mail through the whole pipeline (issue 6): import, store, index,
// search. Each message is stored byte-exact and searchable, or refused with a clear reason, and
// none holds the writer for more than a few seconds; a thread of 50,000 messages stays usable.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "index/home.h"
#include "index/message_store.h"
#include "query/access_scope.h"
#include "query/searcher.h"
#include "tests/support/archive_fixture.h"
#include "tests/support/build_kind.h"

using namespace std::string_literals;
using folio::testing::ArchiveFixture;

namespace {

constexpr double kSlack = folio::testing::kAddressSanitizer ? 6 : 1;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string head(const std::string& id, const std::string& subject) {
  return "From: Mallory <mallory@example.org>\r\nTo: list@example.org\r\n"
         "Date: Sun, 01 Mar 2015 17:17:33 +0000\r\nMessage-ID: <" +
         id + ">\r\nSubject: " + subject + "\r\n";
}

std::string multipart(const std::string& id, const std::string& marker, const std::string& rest) {
  return head(id, "multipart " + marker) + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
         "--B\r\nContent-Type: text/plain\r\n\r\n" + marker + " text\r\n" + rest;
}

std::string base64_lines(std::size_t decoded) {
  std::string line = std::string(76, 'Q') + "\r\n";
  std::string out;
  out.reserve((decoded / 57 + 1) * line.size());
  for (std::size_t i = 0; i < (decoded + 56) / 57; ++i) out += line;
  return out;
}

std::string attachment(const std::string& id, const std::string& marker, std::size_t decoded) {
  return multipart(id, marker,
                   "--B\r\nContent-Type: application/octet-stream; name=\"big.bin\"\r\n"
                   "Content-Transfer-Encoding: base64\r\n\r\n" + base64_lines(decoded) + "--B--\r\n");
}

struct Case {
  std::string name;
  std::string id;      // Message-ID as parse_message reports it
  std::string marker;  // a word of its text
  std::string raw;
};

std::vector<Case> hostile_mail() {
  std::vector<Case> cases;
  auto add = [&](std::string name, std::string id, std::string marker, std::string raw) {
    cases.push_back({std::move(name), std::move(id), std::move(marker), std::move(raw)});
  };
  add("50 MB attachment", "big@x", "zattachmentz", attachment("big@x", "zattachmentz", (50u << 20) / 78 * 57));
  std::string parts;
  for (int i = 0; i < 10000; ++i) parts += "--B\r\nContent-Type: text/plain\r\n\r\npart " + std::to_string(i) + "\r\n";
  add("10,000 parts", "parts@x", "zpartsz", multipart("parts@x", "zpartsz", parts + "--B--\r\n"));
  std::string deep = "Content-Type: text/plain\r\n\r\nbottom\r\n";
  for (int i = 0; i < 1000; ++i) deep = "Content-Type: multipart/mixed; boundary=d" + std::to_string(i) + "\r\n\r\n--d" +
                                        std::to_string(i) + "\r\n" + deep + "\r\n--d" + std::to_string(i) + "--\r\n";
  add("nested 1,000 deep", "deep@x", "zdeepz",
      multipart("deep@x", "zdeepz", "--B\r\n" + deep + "--B--\r\n"));
  std::string line(1u << 20, 'h');
  for (std::size_t i = 64; i < line.size(); i += 64) line[i] = ' ';
  add("1 MB header line", "line@x", "zlinez", head("line@x", "zlinez " + line) + "\r\nbody\r\n");
  add("NUL bytes", "nul@x", "znulz", head("nul@x", "znulz \0 x"s) + "\r\nbefore\0after znulz\0\r\n"s);
  add("invalid UTF-8 as UTF-8", "utf@x", "zutfz",
      head("utf@x", "zutfz \xC3\x28 \xED\xA0\x80") + "Content-Type: text/plain; charset=utf-8\r\n\r\n"
      "zutfz \xC0\xAF \xF5\x80\x80\x80 \xA0\r\n");
  add("boundary never closes", "open@x", "zopenz",
      multipart("open@x", "zopenz", "--B\r\nContent-Type: text/plain\r\n\r\nnever closed\r\n"));
  std::string long_id = std::string(10 * 1024, 'L') + "@x";
  add("10 KB Message-ID", long_id, "zlongidz", head(long_id, "zlongidz") + "\r\nbody\r\n");
  std::string refs = "References:";
  for (int i = 0; i < 100000; ++i) refs += " <r" + std::to_string(i) + "@x>\r\n";
  add("100,000 References", "refs@x", "zrefsz", head("refs@x", "zrefsz") + refs + "\r\nbody\r\n");
  return cases;
}

std::unique_ptr<folio::query::Searcher> searcher(const ArchiveFixture& archive) {
  folio::index::SearchSettings settings;
  settings.max_page_size = 1000;
  auto s = folio::query::Searcher::open(archive.home(), settings);
  REQUIRE(s.ok());
  return std::move(s.value());
}

std::uint64_t hits(folio::query::Searcher& s, const std::string& q) {
  folio::query::SearchRequest req;
  req.query = q;
  auto page = s.search(req, folio::query::AccessScope::for_lists({"test"}));
  REQUIRE(page.ok());
  return page->total;
}

}  // namespace

TEST_CASE("pathological pipeline: hostile mail is stored byte-exact and searchable", "[api][pathological]") {
  ArchiveFixture archive;
  auto cases = hostile_mail();
  for (const auto& c : cases) {
    INFO(c.name);
    auto start = std::chrono::steady_clock::now();
    auto summary = archive.import({c.raw});
    double s = seconds_since(start);
    INFO("import took " << s << " s");
    CHECK(s < 5 * kSlack);
    CHECK(summary.new_messages == 1);
    CHECK(summary.refused == 0);
  }
  auto s = searcher(archive);
  auto store = folio::index::MessageStore::open(archive.home().store_dir(), folio::index::StoreMode::kReadOnly);
  REQUIRE(store.ok());
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(hits(*s, c.marker) == 1);
    auto view = s->message(c.id, folio::query::AccessScope::for_lists({"test"}));
    REQUIRE(view.ok());
    auto raw = store.value()->raw(view->docid);
    REQUIRE(raw.ok());
    CHECK(*raw == c.raw);
  }
}

TEST_CASE("pathological pipeline: a message over the size limit is refused with the reason", "[api][pathological]") {
  ArchiveFixture archive;
  std::string raw = attachment("huge@x", "zhugez", 50u << 20);  // 50 MiB decoded, ~68 MiB on the wire
  auto start = std::chrono::steady_clock::now();
  auto summary = archive.import({raw, head("after@x", "zafterz") + "\r\nbody\r\n"});
  CHECK(seconds_since(start) < 10 * kSlack);
  CHECK(summary.refused == 1);
  CHECK(summary.new_messages == 1);
  REQUIRE(summary.refusals.size() == 1);
  INFO(summary.refusals[0]);
  CHECK(summary.refusals[0].find("over the limit") != std::string::npos);
  auto s = searcher(archive);
  CHECK(hits(*s, "zhugez") == 0);
  CHECK(hits(*s, "zafterz") == 1);
}

TEST_CASE("pathological pipeline: a thread of 50,000 messages", "[api][pathological]") {
  ArchiveFixture archive;
  constexpr int kMessages = 50000;
  std::vector<std::string> raws;
  raws.reserve(kMessages);
  // A chain: each replies to the one before (References: root and parent,
  // as the cap on References leaves deep threads), the worst case for depth.
  for (int i = 0; i < kMessages; ++i) {
    std::string id = "t" + std::to_string(i) + "@x";
    std::string r = head(id, i == 0 ? "zthreadz root" : "Re: zthreadz root");
    if (i > 0) {
      std::string parent = "<t" + std::to_string(i - 1) + "@x>";
      r += "In-Reply-To: " + parent + "\r\nReferences: <t0@x> " + parent + "\r\n";
    }
    raws.push_back(r + "\r\nreply number " + std::to_string(i) + "\r\n");
  }
  auto start = std::chrono::steady_clock::now();
  auto summary = archive.import(raws);
  INFO("import of 50,000 took " << seconds_since(start) << " s");
  CHECK(summary.new_messages == kMessages);

  auto s = searcher(archive);
  auto scope = folio::query::AccessScope::for_lists({"test"});
  start = std::chrono::steady_clock::now();
  auto root = s->thread("t0@x", scope);
  REQUIRE(root.ok());
  auto leaf = s->thread("t49999@x", scope);
  REQUIRE(leaf.ok());
  double took = seconds_since(start);
  INFO("two thread views took " << took << " s");
  CHECK(took < 5 * kSlack);
  CHECK(root->thread == leaf->thread);
  CHECK((root->truncated || root->nodes.size() == kMessages));
  CHECK_FALSE(root->nodes.empty());

  folio::query::SearchRequest req;
  req.query = "zthreadz";
  req.collapse_thread = true;
  start = std::chrono::steady_clock::now();
  auto page = s->search(req, scope);
  REQUIRE(page.ok());
  CHECK(page->total == 1);
  CHECK(seconds_since(start) < 5 * kSlack);
}
