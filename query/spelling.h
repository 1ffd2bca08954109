// spelling.h: the Xapian-free half of spelling suggestions: which words of a query may be
// corrected, edit distance, and the corrected query text.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace folio::query {

// Suggestions use no spelling data at index time. For a query with fewer
// than 5 visible matches, the Searcher looks at each correctable word
// (below) with fewer than 100 visible matches, walks the index's terms that
// share its field prefix and first letter(s), keeps those within
// spelling_distance() (fewest edits first, then the most frequent), and
// keeps the candidates the reader sees at least 50 times as often as the
// word (once, for a word it does not see at all). Of a word's candidates,
// the one with which the whole query has the most visible matches wins.
// The corrected query is offered only when it has more visible matches
// than the original. Every count is within the reader's scope, so a word
// that occurs only in hidden lists is never offered. All of it is bounded
// (words, terms scanned, candidates counted, time): a suggestion may be
// missed, never delayed.

// A word of a query that a suggestion may replace.
struct QueryWord {
  std::size_t offset = 0;  // in the query text
  std::size_t length = 0;
  std::string prefix;      // the term prefix of its field ("" for the text)
  std::string term;        // the word as the index spells it: ASCII, lower case
};

// Words of 3 to 40 ASCII letters in free text, phrases and the text fields
// (from:, subject:, ...), left to right. Not correctable, and absent:
// operators (AND OR NOT XOR NEAR ADJ), the values of filters (list: id:
// thread: has: date:), wildcards (a word followed by *), and words that
// touch a digit, '_', a non-ASCII byte, or another word through an
// apostrophe or '&' (the index keeps "don't" and "r&d" as one term).
std::vector<QueryWord> correctable_words(std::string_view query);

// The optimal-string-alignment distance of `a` and `b` (insertions,
// deletions, substitutions and swaps of neighbours, one edit each), or
// max + 1 when it is over `max`. Bytes are compared, so use it on ASCII.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max);

// The most edits a correction of a word of `length` letters may make:
// 1 up to 4 letters, else 2.
std::size_t spelling_distance(std::size_t length);

// `query` with words[i] replaced by replacements[i] where that is set.
// REQUIRES: replacements.size() == words.size(); words as returned by
// correctable_words(query).
std::string rewrite_query(std::string_view query, const std::vector<QueryWord>& words,
                          const std::vector<std::optional<std::string>>& replacements);

}  // namespace folio::query
