// stem_forms.cc: the indexed forms of a stem, found by a bounded scan of the term list.
#include "query/internal/stem_forms.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <string_view>

namespace folio::query::internal {

namespace {

// Words whose English stem does not start like them (Snowball's exceptions).
struct Irregular {
  std::string_view stem;
  std::string_view root;
};
constexpr Irregular kIrregular[] = {{"die", "dy"}, {"lie", "ly"}, {"tie", "ty"}, {"sky", "ski"}};

// Drops the last UTF-8 character of `s`.
std::string without_last_char(const std::string& s) {
  std::size_t n = s.size();
  if (n == 0) return s;
  --n;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

// Splits "Z<PREFIX><stem>" (PREFIX: upper-case ASCII) into prefix and stem.
bool split_stemmed_term(const std::string& term, std::string& prefix, std::string& stem) {
  if (term.size() < 2 || term[0] != 'Z') return false;
  std::size_t i = 1;
  while (i < term.size() && term[i] >= 'A' && term[i] <= 'Z') ++i;
  if (i == term.size()) return false;
  prefix = term.substr(1, i - 1);
  stem = term.substr(i);
  return true;
}

}  // namespace

std::vector<std::string> scan_roots(const std::string& stem) {
  std::vector<std::string> roots;
  // Stemming rewrites only the end of a word: a final e may have been added
  // (hoping -> hope), y turned into i (happy -> happi), "bility" into "bl".
  char last = stem.empty() ? '\0' : stem.back();
  bool rewritten_end = last == 'e' || last == 'i' || last == 'l';
  roots.push_back(rewritten_end && stem.size() > 2 ? without_last_char(stem) : stem);
  for (const auto& irregular : kIrregular) {
    if (stem == irregular.stem) roots.emplace_back(irregular.root);
  }
  return roots;
}

std::vector<std::string> stem_forms(const Xapian::Database& vocabulary, const std::string& prefix,
                                    const std::string& stem, const StemFormLimits& limits) {
  Xapian::Stem stemmer("english");
  std::set<std::string> forms;
  for (const std::string& root : scan_roots(stem)) {
    const std::string start = prefix + root;
    std::size_t scanned = 0;
    for (auto it = vocabulary.allterms_begin(start); it != vocabulary.allterms_end(start); ++it) {
      if (++scanned > limits.max_scanned || forms.size() >= limits.max_forms) break;
      std::string word = (*it).substr(prefix.size());
      if (stemmer(word) == stem) forms.insert(std::move(word));
    }
  }
  return {forms.begin(), forms.end()};
}

bool has_stemmed_terms(const Xapian::Query& query) {
  std::string prefix, stem;
  for (auto it = query.get_unique_terms_begin(); it != query.get_unique_terms_end(); ++it) {
    if (split_stemmed_term(*it, prefix, stem)) return true;
  }
  return false;
}

namespace {

constexpr std::string_view kScratchPrefix = "folio-stems-";
// A lock file younger than this may belong to a scratch being made.
constexpr auto kOrphanAge = std::chrono::minutes(1);

// Whether `dir` is a scratch directory whose owner is gone: its lock file
// exists, is old enough, and nobody holds its lock.
bool orphaned(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::path lock = dir / kScratchLockFile;
  auto written = std::filesystem::last_write_time(lock, ec);
  if (ec || std::filesystem::file_time_type::clock::now() - written < kOrphanAge) return false;
  int fd = ::open(lock.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool free = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
  ::close(fd);
  return free;
}

// Removes the orphaned scratch directories under `tmp`. Never throws.
void remove_orphans(const std::filesystem::path& tmp) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(tmp, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().filename().string().rfind(kScratchPrefix, 0) != 0) continue;
    if (orphaned(it->path())) {
      std::error_code ignored;
      std::filesystem::remove_all(it->path(), ignored);
    }
  }
}

}  // namespace

SynonymScratch::~SynonymScratch() {
  if (dir_.empty()) return;
  try {
    db_.close();
  } catch (const Xapian::Error&) {
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

Xapian::WritableDatabase& SynonymScratch::table() {
  if (!dir_.empty()) return db_;
  const std::filesystem::path tmp = std::filesystem::temp_directory_path();
  remove_orphans(tmp);
  std::string pattern = (tmp / (std::string(kScratchPrefix) + "XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw Xapian::DatabaseCreateError("cannot create a scratch directory for stem forms in " + tmp.string());
  }
  dir_ = pattern;
  std::string lock = (std::filesystem::path(dir_) / kScratchLockFile).string();
  lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0 || ::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    if (lock_fd_ >= 0) ::close(lock_fd_);
    lock_fd_ = -1;
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    dir_.clear();
    throw Xapian::DatabaseCreateError("cannot lock the scratch directory " + pattern);
  }
  db_ = Xapian::WritableDatabase(dir_, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC |
                                           Xapian::DB_BACKEND_GLASS);
  return db_;
}

const Xapian::Database& SynonymScratch::fill(const Xapian::Query& query,
                                              const Xapian::Database& vocabulary,
                                              const StemFormLimits& limits) {
  Xapian::WritableDatabase& db = table();
  for (const std::string& key : keys_) db.clear_synonyms(key);
  keys_.clear();
  std::string prefix, stem;
  for (auto it = query.get_unique_terms_begin(); it != query.get_unique_terms_end(); ++it) {
    const std::string term = *it;
    if (!split_stemmed_term(term, prefix, stem)) continue;
    for (const std::string& form : stem_forms(vocabulary, prefix, stem, limits)) {
      db.add_synonym(term, prefix + form);
    }
    keys_.push_back(term);
  }
  // Uncommitted changes are read back by this handle; committing now and
  // then (unsynced) keeps the scratch file from growing.
  if (++fills_ % 256 == 0) db.commit();
  return db;
}

}  // namespace folio::query::internal
