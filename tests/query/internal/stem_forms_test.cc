// stem_forms_test.cc: the indexed forms of a query word's stem, against a real glass database.
#include "query/internal/stem_forms.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <filesystem>

#include "tests/support/temp_dir.h"

namespace folio::query::internal {
namespace {

using Words = std::vector<std::string>;

// A real index holding `terms` (one document each).
Xapian::Database index_of(const testing::TempDir& dir, const Words& terms) {
  Xapian::WritableDatabase db(dir.sub("db"), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
  for (const auto& t : terms) {
    Xapian::Document d;
    d.add_term(t);
    db.add_document(d);
  }
  db.commit();
  return Xapian::Database(dir.sub("db"));
}

const Words kWords = {"package", "packages", "packaged", "packaging", "packet", "pack",
                      "happy",   "happiness", "happen",  "dying",     "dye",    "hoping",
                      "hope",    "hopping",  "possibility", "possible", "Spackages", "Spacket"};

Words synonyms(const Xapian::Database& db, const std::string& key) {
  return {db.synonyms_begin(key), db.synonyms_end(key)};
}

TEST_CASE("stem forms: roots drop the end that stemming may rewrite", "[query][stems]") {
  CHECK(scan_roots("packag") == Words{"packag"});
  CHECK(scan_roots("happi") == Words{"happ"});     // happy -> happi
  CHECK(scan_roots("hope") == Words{"hop"});       // hoping -> hope
  CHECK(scan_roots("possibl") == Words{"possib"});  // possibility -> possibl
  CHECK(scan_roots("die") == Words{"di", "dy"});   // dying -> die
  CHECK(scan_roots("be") == Words{"be"});          // two letters stay whole
}

TEST_CASE("stem forms: every indexed word with the stem, and only those", "[query][stems]") {
  testing::TempDir dir;
  auto db = index_of(dir, kWords);
  CHECK(stem_forms(db, "", "packag") == Words{"package", "packaged", "packages", "packaging"});
  CHECK(stem_forms(db, "", "happi") == Words{"happiness", "happy"});
  CHECK(stem_forms(db, "", "hope") == Words{"hope", "hoping"});
  CHECK(stem_forms(db, "", "possibl") == Words{"possibility", "possible"});
  CHECK(stem_forms(db, "", "die") == Words{"dying"});
  CHECK(stem_forms(db, "", "absent").empty());
  // A field's prefix keeps its words apart from free text.
  CHECK(stem_forms(db, "S", "packag") == Words{"packages"});
}

TEST_CASE("stem forms: the number of forms and of terms scanned are bounded, at the limit",
          "[query][stems][limits]") {
  testing::TempDir dir;
  auto db = index_of(dir, kWords);
  StemFormLimits limits;
  limits.max_forms = 4;
  CHECK(stem_forms(db, "", "packag", limits).size() == 4);
  limits.max_forms = 3;
  CHECK(stem_forms(db, "", "packag", limits) == Words{"package", "packaged", "packages"});
  limits = {};
  limits.max_scanned = 3;  // the scan starts at "packag": packaging is the 4th term
  CHECK(stem_forms(db, "", "packag", limits) == Words{"package", "packaged", "packages"});
  limits.max_scanned = 4;
  CHECK(stem_forms(db, "", "packag", limits).size() == 4);
}

TEST_CASE("stem forms: the scratch table holds the forms of the last query only", "[query][stems]") {
  testing::TempDir dir;
  auto db = index_of(dir, kWords);
  SynonymScratch scratch;
  Xapian::Query first(Xapian::Query::OP_AND, Xapian::Query("Zpackag"), Xapian::Query("ZSpackag"));
  const Xapian::Database& table = scratch.fill(first, db);
  CHECK(synonyms(table, "Zpackag") == Words{"package", "packaged", "packages", "packaging"});
  CHECK(synonyms(table, "ZSpackag") == Words{"Spackages"});
  CHECK(has_stemmed_terms(first));

  Xapian::Query second(Xapian::Query::OP_OR, Xapian::Query("Zhappi"), Xapian::Query("exact"));
  const Xapian::Database& again = scratch.fill(second, db);
  CHECK(synonyms(again, "Zpackag").empty());
  CHECK(synonyms(again, "Zhappi") == Words{"happiness", "happy"});
  CHECK_FALSE(has_stemmed_terms(Xapian::Query("exact")));
}

TEST_CASE("stem forms: the scratch directory is removed with its table", "[query][stems]") {
  testing::TempDir dir;
  auto db = index_of(dir, kWords);
  // A private $TMPDIR: other tests running beside this one make their own scratch dirs.
  const std::string tmp = dir.sub("tmp");
  std::filesystem::create_directories(tmp);
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  ::setenv("TMPDIR", tmp.c_str(), 1);
  auto count = [&] {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(tmp)) {
      if (e.path().filename().string().rfind("folio-stems-", 0) == 0) ++n;
    }
    return n;
  };
  std::size_t during = 0;
  {
    SynonymScratch scratch;
    scratch.fill(Xapian::Query("Zpackag"), db);
    during = count();
  }
  std::size_t after = count();
  if (old) ::setenv("TMPDIR", saved.c_str(), 1); else ::unsetenv("TMPDIR");
  CHECK(during == 1);
  CHECK(after == 0);
}

TEST_CASE("stem forms: scratch directories of dead processes are removed by the next scratch", "[query][stems]") {
  testing::TempDir dir;
  auto db = index_of(dir, kWords);
  const std::filesystem::path tmp = dir.sub("tmp");
  std::filesystem::create_directories(tmp);
  auto make = [&](const std::string& name, bool lock_file, std::chrono::minutes age) {
    std::filesystem::create_directories(tmp / name);
    if (!lock_file) return;
    std::ofstream(tmp / name / kScratchLockFile).put('x');
    auto now = std::filesystem::file_time_type::clock::now();
    std::filesystem::last_write_time(tmp / name / kScratchLockFile, now - age);
  };
  make("folio-stems-dead", true, std::chrono::minutes(5));    // killed: lock free, old
  make("folio-stems-live", true, std::chrono::minutes(5));    // its owner holds the lock
  make("folio-stems-young", true, std::chrono::minutes(0));   // being made right now
  make("folio-stems-legacy", false, std::chrono::minutes(5)); // no lock file: left alone
  make("other-dead", true, std::chrono::minutes(5));          // not ours
  int held = ::open((tmp / "folio-stems-live" / kScratchLockFile).c_str(), O_RDWR);
  REQUIRE(held >= 0);
  REQUIRE(::flock(held, LOCK_EX | LOCK_NB) == 0);
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  ::setenv("TMPDIR", tmp.c_str(), 1);
  {
    SynonymScratch scratch;
    scratch.fill(Xapian::Query("Zpackag"), db);
  }
  if (old) ::setenv("TMPDIR", saved.c_str(), 1); else ::unsetenv("TMPDIR");
  ::close(held);
  std::set<std::string> left;
  for (const auto& e : std::filesystem::directory_iterator(tmp)) left.insert(e.path().filename().string());
  CHECK(left == std::set<std::string>{"folio-stems-live", "folio-stems-young", "folio-stems-legacy", "other-dead"});
}

}  // namespace
}  // namespace folio::query::internal
