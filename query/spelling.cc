// spelling.cc: correctable words of a query, bounded edit distance, rewriting.
#include "query/spelling.h"

#include <algorithm>

#include "index/schema.h"
#include "query/internal/query_text.h"

namespace folio::query {

namespace {

constexpr std::size_t kMinLetters = 3;
constexpr std::size_t kMaxLetters = 40;

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_non_ascii(char c) { return static_cast<unsigned char>(c) >= 0x80; }
bool is_word_byte(char c) { return is_letter(c) || is_digit(c) || c == '_' || is_non_ascii(c); }
bool is_joiner(char c) { return c == '\'' || c == '&'; }

// Bytes that make the letters beside them part of a longer, different term.
bool glues(char c) { return is_digit(c) || c == '_' || is_non_ascii(c); }

// Whether the letters s[b, e) stand alone as one index term.
bool stands_alone(std::string_view s, std::size_t b, std::size_t e) {
  if (b > 0) {
    char p = s[b - 1];
    if (glues(p)) return false;
    if (is_joiner(p) && b > 1 && is_word_byte(s[b - 2])) return false;
  }
  if (e < s.size()) {
    char n = s[e];
    if (glues(n) || n == '*') return false;
    if (is_joiner(n) && e + 1 < s.size() && is_word_byte(s[e + 1])) return false;
  }
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

// The prefix of a text field named before ':' at the start of `token`, and
// the offset of its value; prefix "" and offset 0 when there is none.
std::pair<std::string, std::size_t> field_of(std::string_view token) {
  std::size_t colon = token.find(':');
  if (colon == std::string_view::npos || colon == 0) return {"", 0};
  std::string_view name = token.substr(0, colon);
  if (!std::all_of(name.begin(), name.end(), is_letter)) return {"", 0};
  const index::Field* field = index::find_field(lower(name));
  if (field == nullptr || field->kind != index::FieldKind::kText) return {"", 0};
  return {std::string(field->prefix), colon + 1};
}

// Appends the correctable words of `token`, which starts at `base` in the query.
void words_of(std::string_view token, std::size_t base, std::vector<QueryWord>& out) {
  auto [prefix, start] = field_of(token);
  std::size_t i = start;
  while (i < token.size()) {
    if (!is_letter(token[i])) {
      ++i;
      continue;
    }
    std::size_t e = i;
    while (e < token.size() && is_letter(token[e])) ++e;
    std::size_t n = e - i;
    if (n >= kMinLetters && n <= kMaxLetters && stands_alone(token, i, e)) {
      out.push_back(QueryWord{base + i, n, prefix, lower(token.substr(i, n))});
    }
    i = e;
  }
}

}  // namespace

std::vector<QueryWord> correctable_words(std::string_view query) {
  std::vector<QueryWord> out;
  for (const auto& t : internal::tokenize_query(query)) {
    if (t.kind != internal::TokenKind::kTerm && t.kind != internal::TokenKind::kPhrase) continue;
    words_of(t.text, static_cast<std::size_t>(t.text.data() - query.data()), out);
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max) {
  std::size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > max) return max + 1;
  // Three rows of the optimal-string-alignment table: i-2, i-1, i.
  std::vector<std::size_t> two(m + 1), one(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) one[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    for (std::size_t j = 1; j <= m; ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      std::size_t d = std::min({one[j] + 1, cur[j - 1] + 1, one[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = std::min(d, two[j - 2] + 1);
      cur[j] = d;
      row_min = std::min(row_min, d);
    }
    if (row_min > max) return max + 1;
    std::swap(two, one);
    std::swap(one, cur);
  }
  return std::min(one[m], max + 1);
}

std::size_t spelling_distance(std::size_t length) { return length <= 4 ? 1 : 2; }

std::string rewrite_query(std::string_view query, const std::vector<QueryWord>& words,
                          const std::vector<std::optional<std::string>>& replacements) {
  std::string out;
  std::size_t at = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (!replacements[i]) continue;
    out.append(query.substr(at, words[i].offset - at));
    out.append(*replacements[i]);
    at = words[i].offset + words[i].length;
  }
  out.append(query.substr(at));
  return out;
}

}  // namespace folio::query
