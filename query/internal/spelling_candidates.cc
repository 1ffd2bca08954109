// spelling_candidates.cc: a bounded walk over the terms sharing a word's prefix and first letter.
#include "query/internal/spelling_candidates.h"

#include <algorithm>

namespace folio::query::internal {

namespace {

// How often the deadline is looked at, in terms.
constexpr std::size_t kClockEvery = 512;

bool lower_letters(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

bool better(const SpellingCandidate& a, const SpellingCandidate& b) {
  if (a.distance != b.distance) return a.distance < b.distance;
  if (a.frequency != b.frequency) return a.frequency > b.frequency;
  return a.term < b.term;
}

// Keeps the best `max` of `found` (sorted, best first) after adding `c`.
void keep_best(std::vector<SpellingCandidate>& found, SpellingCandidate c, std::size_t max) {
  auto at = std::lower_bound(found.begin(), found.end(), c, better);
  if (static_cast<std::size_t>(at - found.begin()) >= max) return;
  found.insert(at, std::move(c));
  if (found.size() > max) found.pop_back();
}

}  // namespace

namespace {

// Walks the terms beginning with `start`, adding those near `word` to `found`.
// Stops after `budget` terms, or at the deadline when `timed`.
void walk(const Xapian::Database& db, const QueryWord& word, const std::string& start, bool timed,
          const CandidateLimits& limits, std::size_t& budget, std::vector<SpellingCandidate>& found) {
  const std::size_t max = spelling_distance(word.term.size());
  std::size_t scanned = 0;
  for (auto it = db.allterms_begin(start); it != db.allterms_end(start); ++it) {
    if (budget == 0) break;
    --budget;
    if (timed && ++scanned % kClockEvery == 0 && std::chrono::steady_clock::now() >= limits.deadline) break;
    const std::string full = *it;
    std::string_view term = std::string_view(full).substr(word.prefix.size());
    std::size_t size_gap = term.size() > word.term.size() ? term.size() - word.term.size()
                                                          : word.term.size() - term.size();
    if (size_gap > max || term == word.term || !lower_letters(term)) continue;
    std::size_t d = edit_distance(term, word.term, max);
    if (d > max) continue;
    SpellingCandidate c{std::string(term), d, it.get_termfreq()};
    if (std::find_if(found.begin(), found.end(), [&](const auto& f) { return f.term == c.term; }) != found.end()) continue;
    keep_best(found, std::move(c), limits.max_candidates);
  }
}

}  // namespace

std::vector<SpellingCandidate> spelling_candidates(const Xapian::Database& db, const QueryWord& word,
                                                   const CandidateLimits& limits) {
  std::vector<SpellingCandidate> found;
  if (word.term.size() < 2 || limits.max_candidates == 0) return found;
  std::size_t budget = limits.max_scanned;
  // First the terms sharing two letters (a few thousand at most: always
  // walked); then, when that found nothing one edit away and time allows,
  // every term sharing the first letter (a typo in the second letter).
  walk(db, word, word.prefix + word.term.substr(0, 2), false, limits, budget, found);
  if (!found.empty() && found.front().distance <= 1) return found;
  if (std::chrono::steady_clock::now() >= limits.deadline) return found;
  walk(db, word, word.prefix + word.term.front(), true, limits, budget, found);
  return found;
}

}  // namespace folio::query::internal
