// suggester.cc: per-word corrections checked against visible counts, then the corrected query checked whole.
#include "query/internal/suggester.h"

#include <algorithm>
#include <utility>
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

// Options kept per word, to be tried in the whole query.
constexpr std::size_t kOptions = 3;

// The candidates for `w` of which the reader sees enough: among the nearest
// that have any, the most visible first, at most kOptions.
std::vector<std::string> corrections(const Xapian::Database& db, const QueryWord& w, Xapian::doccount seen,
                                     const VisibleCount& visible, const CandidateLimits& limits) {
  Xapian::doccount needed = seen == 0 ? 1 : seen * kRareFactor;
  std::vector<std::pair<Xapian::doccount, std::string>> kept;
  std::size_t distance = 0;
  for (const auto& c : spelling_candidates(db, w, limits)) {
    if (!kept.empty() && c.distance > distance) break;
    if (c.frequency < needed) continue;  // the whole index has too few: the reader has too
    Xapian::doccount n = visible(term_query(w, c.term), std::max(kCountCap, needed));
    if (n < needed) continue;
    kept.emplace_back(n, c.term);
    distance = c.distance;
  }
  std::stable_sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < kept.size() && i < kOptions; ++i) out.push_back(std::move(kept[i].second));
  return out;
}

// Of word i's options, the one with which the whole query (the other words
// as fixed so far) has the most visible matches, as counted by `count`:
// "memory leak", not "memory lee".
template <typename Count>
std::string in_context(std::string_view query, const std::vector<QueryWord>& words,
                       std::vector<std::optional<std::string>> fixes, std::size_t i,
                       const std::vector<std::string>& options, Count&& count) {
  Xapian::doccount best = 0;
  std::string chosen = options.front();
  for (const auto& option : options) {
    fixes[i] = option;
    Xapian::doccount n = count(rewrite_query(query, words, fixes));
    if (n > best) best = n, chosen = option;
  }
  return chosen;
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
  auto rare = static_cast<Xapian::doccount>(limits.rare_word);
  std::vector<std::vector<std::string>> options(words.size());
  std::vector<std::optional<std::string>> fixes(words.size());
  bool changed = false;
  for (std::size_t i = 0; i < words.size(); ++i) {
    Xapian::doccount seen = visible(term_query(words[i], words[i].term), rare);
    if (seen >= rare) continue;
    options[i] = corrections(db, words[i], seen, visible, walk);
    if (options[i].empty()) continue;
    fixes[i] = options[i].front();
    changed = true;
  }
  if (!changed) return std::nullopt;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (options[i].size() < 2) continue;
    fixes[i] = in_context(query, words, fixes, i, options[i], [&](const std::string& text) {
      auto parsed = parser.parse(text, scope, db);
      return parsed.ok() ? visible(*parsed, kCountCap) : 0;
    });
  }
  std::string corrected = rewrite_query(query, words, fixes);
  auto parsed = parser.parse(corrected, scope, db);
  if (!parsed.ok()) return std::nullopt;  // e.g. longer than the query limit
  auto cap = static_cast<Xapian::doccount>(total + 1);
  if (visible(*parsed, cap) <= total) return std::nullopt;
  return corrected;
}

}  // namespace folio::query::internal
