// stem_forms.h: English stemming at query time, over the words the index holds.
//
// The index keeps each word as written (lower-cased, normalised) and no
// stemmed copy: a second term per word cost about 40% of indexing time
// (docs/benchmarks.md). The query parser still asks for stems: a free word
// `packages` becomes the term "Zpackag". stem_synonyms() finds, for each such
// term, the indexed words with that stem ("package", "packages", "packaged")
// and returns them as a synonym table, so that a second parse with Xapian's
// auto-synonyms turns "Zpackag" into SYNONYM(Zpackag, package, packages,
// packaged): the same documents an index of stems would match, ranked as one
// term. Phrases and wildcards never used stems and are left alone.
#pragma once

#ifndef XAPIAN_MOVE_SEMANTICS
#define XAPIAN_MOVE_SEMANTICS
#endif
#include <xapian.h>

#include <cstddef>
#include <string>
#include <vector>

namespace folio::query::internal {

struct StemFormLimits {
  std::size_t max_forms = 64;         // words kept per stem (most stems have under 10)
  std::size_t max_scanned = 20'000;   // index terms looked at per stem
};

// Where the forms of `stem` are looked for: the index words starting with one
// of the returned roots. A stem is a prefix of its words except near the end
// (happy -> happi, possibility -> possibl) and for a few irregular words
// (dying -> die), so the root drops the last characters that English
// stemming may have rewritten. Exposed for tests.
std::vector<std::string> scan_roots(const std::string& stem);

// The indexed words under `prefix` (a field's term prefix, "" for free text)
// whose English stem is `stem`, in term order, at most limits.max_forms.
std::vector<std::string> stem_forms(const Xapian::Database& vocabulary, const std::string& prefix,
                                    const std::string& stem, const StemFormLimits& limits = {});

// A scratch synonym table for one parser: Xapian's QueryParser reads
// synonyms only from a database, and its in-memory backend has no synonym
// table, so this is a private, never-synced glass database in a temporary
// directory, removed with the object. One per parser thread. The directory
// holds a lock (flock on kScratchLockFile) while its owner lives, so a
// process killed before it could remove its directories leaves nothing for
// long: the next scratch made under the same $TMPDIR removes every
// folio-stems-* directory whose lock is free and older than a minute.
inline constexpr const char* kScratchLockFile = "owner.lock";

class SynonymScratch {
 public:
  SynonymScratch() = default;
  ~SynonymScratch();
  SynonymScratch(const SynonymScratch&) = delete;
  SynonymScratch& operator=(const SynonymScratch&) = delete;

  // Replaces the table with: every stemmed term "Z<prefix><stem>" of `query`
  // maps to "<prefix><form>" for each form stem_forms() finds in
  // `vocabulary`. Returns the table, for QueryParser::set_database() and one
  // parse with FLAG_AUTO_SYNONYMS. Creates the directory on first use (under
  // $TMPDIR); Xapian errors and a failure to create it throw.
  const Xapian::Database& fill(const Xapian::Query& query, const Xapian::Database& vocabulary,
                               const StemFormLimits& limits = {});

 private:
  Xapian::WritableDatabase& table();

  std::string dir_;
  int lock_fd_ = -1;  // holds the flock on dir_/kScratchLockFile
  Xapian::WritableDatabase db_;
  std::vector<std::string> keys_;  // the terms the table holds synonyms for
  std::size_t fills_ = 0;
};

// Whether `query` holds a stemmed term (one stem_synonyms() would look up).
bool has_stemmed_terms(const Xapian::Query& query);

}  // namespace folio::query::internal
