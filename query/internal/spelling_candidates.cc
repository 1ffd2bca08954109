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

std::vector<SpellingCandidate> spelling_candidates(const Xapian::Database& db, const QueryWord& word,
                                                   const CandidateLimits& limits) {
  std::vector<SpellingCandidate> found;
  if (word.term.empty() || limits.max_candidates == 0) return found;
  const std::size_t max = spelling_distance(word.term.size());
  const std::string start = word.prefix + word.term.front();
  std::size_t scanned = 0;
  for (auto it = db.allterms_begin(start); it != db.allterms_end(start); ++it) {
    if (++scanned > limits.max_scanned) break;
    if (scanned % kClockEvery == 0 && std::chrono::steady_clock::now() >= limits.deadline) break;
    const std::string full = *it;
    std::string_view term = std::string_view(full).substr(word.prefix.size());
    std::size_t size_gap = term.size() > word.term.size() ? term.size() - word.term.size()
                                                          : word.term.size() - term.size();
    if (size_gap > max || term == word.term || !lower_letters(term)) continue;
    std::size_t d = edit_distance(term, word.term, max);
    if (d > max) continue;
    keep_best(found, SpellingCandidate{std::string(term), d, it.get_termfreq()}, limits.max_candidates);
  }
  return found;
}

}  // namespace folio::query::internal
