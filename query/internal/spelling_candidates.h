// spelling_candidates.h: index terms close to a query word, found by walking the term list.
#pragma once

#ifndef XAPIAN_MOVE_SEMANTICS
#define XAPIAN_MOVE_SEMANTICS
#endif
#include <xapian.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "query/spelling.h"

namespace folio::query::internal {

// A term near a query word.
struct SpellingCandidate {
  std::string term;       // without the field prefix
  std::size_t distance = 0;
  Xapian::doccount frequency = 0;  // documents with the term, in the whole index
};

// Bounds of one walk.
struct CandidateLimits {
  std::size_t max_scanned = 50000;  // terms looked at
  std::size_t max_candidates = 6;   // candidates returned
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

// The terms of `db` in `word`'s field that begin with the word's first
// letter, consist of ASCII lower-case letters, differ from it, and are
// within spelling_distance() of it: the nearest first, then the most
// frequent, at most limits.max_candidates. The terms sharing the word's
// first two letters are always walked (a few thousand at most); the rest
// of its first letter only when that found nothing one edit away and the
// deadline has not passed. At most limits.max_scanned terms in all.
// Frequencies are of the whole index; the caller checks what the reader
// may see. Throws Xapian errors (run it under xapian_guard).
std::vector<SpellingCandidate> spelling_candidates(const Xapian::Database& db, const QueryWord& word,
                                                   const CandidateLimits& limits);

}  // namespace folio::query::internal
