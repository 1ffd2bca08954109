// suggester.cc: per-word corrections checked against visible counts, then the corrected query checked whole.
#include "query/internal/suggester.h"

#include <vector>

#include "query/internal/spelling_candidates.h"
#include "query/spelling.h"

namespace folio::query::internal {

namespace {

// A rare word is replaced only by a candidate this many times as frequent.
constexpr Xapian::doccount kRareFactor = 50;
// Visible matches of a candidate are counted up to this.
constexpr Xapian::doccount kCountCap = 1000;

Xapian::Query term_query(const QueryWord& w, const std::string& term) {
  return Xapian::Query(w.prefix + term);
}

// The candidate for `w` with the most visible matches among the nearest
// ones that have enough, or nullopt.
std::optional<std::string> correction(const Xapian::Database& db, const QueryWord& w,
                                      Xapian::doccount seen, const VisibleCount& visible,
                                      const CandidateLimits& limits) {
  Xapian::doccount needed = seen == 0 ? 1 : seen * kRareFactor;
  std::optional<std::string> best;
  Xapian::doccount best_count = 0;
  std::size_t best_distance = 0;
  for (const auto& c : spelling_candidates(db, w, limits)) {
    if (best && c.distance > best_distance) break;
    if (c.frequency < needed) continue;  // the whole index has too few: the reader has too
    Xapian::doccount n = visible(term_query(w, c.term), kCountCap);
    if (n < needed || n <= best_count) continue;
    best = c.term;
    best_count = n;
    best_distance = c.distance;
  }
  return best;
}

}  // namespace

std::optional<std::string> suggest_query(const Xapian::Database& db, QueryParser& parser,
                                         std::string_view query, const AccessScope& scope,
                                         std::uint64_t total, const VisibleCount& visible,
                                         const SuggestLimits& limits) {
  if (total >= limits.few_matches) return std::nullopt;
  std::vector<QueryWord> words = correctable_words(query);
  if (words.empty() || words.size() > limits.max_words) return std::nullopt;
  CandidateLimits walk{limits.max_scanned, limits.max_candidates,
                       std::chrono::steady_clock::now() + limits.budget};
  auto few = static_cast<Xapian::doccount>(limits.few_matches);
  std::vector<std::optional<std::string>> fixes(words.size());
  bool changed = false;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (std::chrono::steady_clock::now() >= walk.deadline) break;
    Xapian::doccount seen = visible(term_query(words[i], words[i].term), few);
    if (seen >= few) continue;
    fixes[i] = correction(db, words[i], seen, visible, walk);
    changed = changed || fixes[i].has_value();
  }
  if (!changed) return std::nullopt;
  std::string corrected = rewrite_query(query, words, fixes);
  auto parsed = parser.parse(corrected, scope);
  if (!parsed.ok()) return std::nullopt;  // e.g. longer than the query limit
  auto cap = static_cast<Xapian::doccount>(total + 1);
  if (visible(*parsed, cap) <= total) return std::nullopt;
  return corrected;
}

}  // namespace folio::query::internal
