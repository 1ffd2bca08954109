// query_text.cc: scanning, normalising and checking the query string before parsing.
#include "query/internal/query_text.h"

#include <array>
#include <optional>
#include <utility>

#ifndef XAPIAN_MOVE_SEMANTICS
#define XAPIAN_MOVE_SEMANTICS
#endif
#include <xapian.h>

#include "index/schema.h"
#include "index/text_normalizer.h"

namespace folio::query::internal {

using model::Code;
using model::Err;
using model::Error;
using model::Result;
using model::Status;

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

// Bytes from s[i] == '"' to and including the closing quote (or to the end).
std::size_t quoted_length(std::string_view s, std::size_t i) {
  std::size_t close = s.find('"', i + 1);
  return close == std::string_view::npos ? s.size() - i : close + 1 - i;
}

// Length of "name:" when s[i] starts a boolean or range field that Xapian
// would take as one (a value must follow), else 0.
std::size_t filter_name_length(std::string_view s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size() && is_ascii_alpha(s[j])) ++j;
  if (j == i || j + 1 >= s.size() || s[j] != ':') return 0;
  const index::Field* field = index::find_field(ascii_lower(s.substr(i, j - i)));
  if (field == nullptr || field->kind == index::FieldKind::kText) return 0;
  char next = s[j + 1];
  if (static_cast<unsigned char>(next) <= ' ' || next == ')') return 0;
  return j + 1 - i;
}

// The value of a boolean field, as Xapian reads it: "quoted" (with "" for a
// quote), or everything up to white space or ')'.
std::size_t filter_value_length(std::string_view s, std::size_t start) {
  std::size_t k = start;
  if (s[k] == '"') {
    for (++k; k < s.size(); ++k) {
      if (s[k] != '"') continue;
      if (k + 1 < s.size() && s[k + 1] == '"') {
        ++k;
        continue;
      }
      return k + 1 - start;
    }
    return s.size() - start;
  }
  while (k < s.size() && static_cast<unsigned char>(s[k]) > ' ' && s[k] != ')') ++k;
  return k - start;
}

// A word runs to white space or a bracket, or to the end of a quoted part in
// it: Xapian ends the word at the quote, reads a phrase to the closing quote
// (or ignores an empty one) and starts a new token after it, where a field
// name counts again. Read on past the closing quote, "f\"\"id:!\" NOT NEAR/4"
// was one term here, the filter's quote opening a quoted part that hid NOT
// and NEAR, where Xapian read a term, a filter, NOT and NEAR: its parse
// failed and leaked (fuzz/query_parse).
std::size_t word_length(std::string_view s, std::size_t i) {
  std::size_t k = i;
  while (k < s.size() && !is_space(s[k]) && s[k] != '(' && s[k] != ')') {
    if (s[k] == '"') return k + quoted_length(s, k) - i;
    ++k;
  }
  return k - i;
}

bool is_operator_word(std::string_view w) {
  static constexpr std::array<std::string_view, 4> kPlain{"AND", "OR", "NOT", "XOR"};
  for (auto op : kPlain) {
    if (w == op) return true;
  }
  for (std::string_view op : {"NEAR", "ADJ"}) {
    if (w.substr(0, op.size()) != op) continue;
    std::string_view rest = w.substr(op.size());
    if (rest.empty()) return true;
    if (rest.size() < 2 || rest[0] != '/') return false;
    for (char c : rest.substr(1)) {
      if (c < '0' || c > '9') return false;
    }
    return true;
  }
  return false;
}

// Reads the token (without sign) starting at s[i].
Token read_token(std::string_view s, std::size_t i) {
  if (s[i] == '"') return {TokenKind::kPhrase, 0, s.substr(i, quoted_length(s, i))};
  if (std::size_t name = filter_name_length(s, i); name > 0) {
    return {TokenKind::kFilter, 0, s.substr(i, name + filter_value_length(s, i + name))};
  }
  std::string_view word = s.substr(i, word_length(s, i));
  return {is_operator_word(word) ? TokenKind::kOperator : TokenKind::kTerm, 0, word};
}

// True when s[i] is a love/hate sign that Xapian would read as one.
bool is_sign_at(std::string_view s, std::size_t i) {
  if (s[i] != '+' && s[i] != '-') return false;
  return i + 1 < s.size() && !is_space(s[i + 1]) && s[i + 1] != ')';
}

std::size_t token_begin(std::string_view s, const Token& t) {
  return static_cast<std::size_t>(t.text.data() - s.data()) - (t.sign ? 1 : 0);
}

// The token as Xapian should see it.
std::string prepared_token(const Token& t) {
  std::string out = t.sign ? std::string(1, t.sign) : std::string();
  switch (t.kind) {
    case TokenKind::kOperator:
    case TokenKind::kOpen:
    case TokenKind::kClose:
      return out.append(t.text);
    case TokenKind::kFilter: {
      std::size_t colon = t.text.find(':');
      return out.append(ascii_lower(t.text.substr(0, colon))).append(t.text.substr(colon));
    }
    case TokenKind::kTerm:
    case TokenKind::kPhrase:
      break;
  }
  return out.append(index::normalize_text(t.text));
}

// --- structural checks -------------------------------------------------

// A run of tokens between operators within one parenthesised group.
struct Segment {
  bool positive = false;
  bool excluding = false;
  std::size_t begin = std::string_view::npos;
  std::size_t end = 0;
};

struct Group {
  Segment segment;
  char sign = 0;           // the sign in front of the '('
  bool after_and = false;  // the previous token in this group was AND
  bool empty = true;       // nothing in it yet: "()" is no operand for Xapian
};

Error pure_not_error(std::string_view what) {
  return Err(Code::kInvalidArgument,
             "pure NOT queries are not supported: " + std::string(what) +
                 "; add something to search for, as in \"bar -foo\" or \"bar NOT foo\"");
}

Status check_segment(std::string_view s, const Segment& seg) {
  if (!seg.excluding || seg.positive) return {};
  std::string part(s.substr(seg.begin, seg.end - seg.begin));
  return pure_not_error("\"" + part + "\" only excludes");
}

// Records an operand of `g` (a term, a filter or a closed group).
void add_item(Group& g, char sign, std::size_t begin, std::size_t end) {
  Segment& seg = g.segment;
  (sign == '-' ? seg.excluding : seg.positive) = true;
  if (seg.begin == std::string_view::npos) seg.begin = begin;
  seg.end = end;
  g.after_and = false;
  g.empty = false;
}

Status on_operator(std::string_view s, Group& g, const Token& t) {
  bool empty = g.segment.begin == std::string_view::npos;
  if (t.text == "NOT" && empty && !g.after_and) {
    return pure_not_error("NOT needs something on its left to exclude from");
  }
  FOLIO_TRY(check_segment(s, g.segment));
  g.segment = Segment{};
  g.after_and = t.text == "AND";
  return {};
}

bool makes_a_term(const Token& t);

Status check_structure(std::string_view s, const std::vector<Token>& tokens,
                       std::size_t max_depth) {
  std::vector<Group> groups(1);
  for (const Token& t : tokens) {
    if (!makes_a_term(t)) continue;  // Xapian drops it: it is no operand
    std::size_t begin = token_begin(s, t);
    std::size_t end = static_cast<std::size_t>(t.text.data() - s.data()) + t.text.size();
    if (t.kind == TokenKind::kOpen) {
      if (groups.size() > max_depth) {
        return Err(Code::kInvalidArgument,
                   "parentheses are nested more than " + std::to_string(max_depth) + " deep");
      }
      groups.push_back(Group{Segment{}, t.sign, false, true});
      continue;
    }
    if (t.kind == TokenKind::kClose) {
      if (groups.size() == 1) return Err(Code::kInvalidArgument, "a ')' has no matching '('");
      FOLIO_TRY(check_segment(s, groups.back().segment));
      char sign = groups.back().sign;
      bool empty = groups.back().empty;
      groups.pop_back();
      // An empty group is nothing to Xapian; counted as an operand, it hid a
      // group that only excludes, on which Xapian 1.4.22 crashes:
      // "-s -(() -list:2) O" (fuzz/query_parse).
      if (empty) continue;
      add_item(groups.back(), sign, begin, end);
      continue;
    }
    if (t.kind == TokenKind::kOperator) {
      FOLIO_TRY(on_operator(s, groups.back(), t));
      continue;
    }
    add_item(groups.back(), t.sign, begin, end);
  }
  if (groups.size() > 1) return Err(Code::kInvalidArgument, "a '(' is never closed");
  return check_segment(s, groups.back().segment);
}

// `text` with each of its `tokens` (sign included) replaced by what
// `rewrite` returns for it, or kept when that is nullopt; the white space
// between tokens is kept.
template <typename Rewrite>
std::string rewritten(std::string_view text, const std::vector<Token>& tokens, Rewrite rewrite) {
  std::string out;
  out.reserve(text.size() + 8);
  std::size_t pos = 0;
  for (const Token& t : tokens) {
    std::optional<std::string> replacement = rewrite(t);
    if (!replacement) continue;
    std::size_t begin = token_begin(text, t);
    out.append(text.substr(pos, begin - pos));
    out += *replacement;
    pos = begin + (t.sign ? 1 : 0) + t.text.size();
  }
  out.append(text.substr(pos));
  return out;
}

// `text` with each token prepared for Xapian and the white space kept.
std::string rebuilt(std::string_view text, const std::vector<Token>& tokens) {
  return rewritten(text, tokens, [](const Token& t) { return std::optional<std::string>(prepared_token(t)); });
}

// --- CJK runs ----------------------------------------------------------
//
// Xapian 1.4.22's QueryParser fails with "parse error" on a CJK run between
// two words ("hello 東京 tower", "a 旅b"), and when it fails with CJK text
// on its stack (on this or on any other syntax error) it leaks memory
// (found by fuzz/query_parse). A CJK run in brackets parses as the same
// n-gram terms, inside a phrase too, so every CJK run outside a filter value
// is given its own brackets: "hello (東京) tower". Tests: query_text_test,
// query_parser_test, tests/data/fuzz/query_parse.

// The code point starting at s[i] and its length in bytes; {0xFFFD, 1} for a
// byte that does not start valid UTF-8.
std::pair<char32_t, std::size_t> decode_at(std::string_view s, std::size_t i) {
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return {b, 1};
  std::size_t n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
  if (n == 0 || i + n > s.size()) return {0xFFFD, 1};
  char32_t cp = b & (0x3F >> (n - 1));
  for (std::size_t k = 1; k < n; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return {0xFFFD, 1};
    cp = (cp << 6) | (c & 0x3F);
  }
  return {cp, n};
}

// The blocks Xapian's n-gram tokenizer treats as CJK (ideographs, kana,
// Hangul and their punctuation and compatibility forms).
bool is_cjk(char32_t cp) {
  return (cp >= 0x2E80 && cp <= 0x2FDF) || (cp >= 0x3000 && cp <= 0x9FFF) ||
         (cp >= 0xA700 && cp <= 0xA71F) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
         (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x2A6DF) ||
         (cp >= 0x2F800 && cp <= 0x2FA1F);
}

// The quote characters Xapian 1.4.22 opens and closes phrases with.
bool is_quote(char32_t cp) { return cp == '"' || cp == 0x201C || cp == 0x201D; }

// `word` cut into maximal runs that are all CJK or all not.
std::vector<std::pair<std::string_view, bool>> cjk_runs(std::string_view word) {
  std::vector<std::pair<std::string_view, bool>> runs;
  std::size_t i = 0;
  while (i < word.size()) {
    auto [cp, n] = decode_at(word, i);
    bool cjk = is_cjk(cp);
    std::size_t j = i + n;
    while (j < word.size()) {
      auto [next, m] = decode_at(word, j);
      if (is_cjk(next) != cjk) break;
      j += m;
    }
    runs.emplace_back(word.substr(i, j - i), cjk);
    i = j;
  }
  return runs;
}

// Where the first code point of `s` for which `pred` holds starts (s.size() if none).
template <typename Pred>
std::size_t find_code_point(std::string_view s, Pred pred) {
  for (std::size_t i = 0; i < s.size();) {
    auto [cp, n] = decode_at(s, i);
    if (pred(cp)) return i;
    i += n;
  }
  return s.size();
}

bool has_cjk(std::string_view s) { return find_code_point(s, is_cjk) < s.size(); }

// Where the first quote character of `s` starts (s.size() if none).
std::size_t first_quote(std::string_view s) { return find_code_point(s, is_quote); }

// Length of a text-field prefix ("subject:") at the start of `word`, else 0.
std::size_t text_prefix_length(std::string_view word) {
  std::size_t j = 0;
  while (j < word.size() && is_ascii_alpha(word[j])) ++j;
  if (j == 0 || j >= word.size() || word[j] != ':') return 0;
  const index::Field* field = index::find_field(ascii_lower(word.substr(0, j)));
  return field != nullptr && field->kind == index::FieldKind::kText ? j + 1 : 0;
}

// Appends `run` to `out`, in brackets when it is CJK.
void append_run(std::string& out, std::string_view run, bool cjk) {
  if (cjk) {
    out.append("(").append(run).append(")");
  } else {
    out.append(run);
  }
}

// `s` with each CJK run in brackets and nothing else changed.
std::string runs_bracketed(std::string_view s) {
  std::string out;
  for (const auto& [run, cjk] : cjk_runs(s)) append_run(out, run, cjk);
  return out;
}

// An unquoted word (sign not included) with its CJK runs bracketed, each
// run keeping the word's field prefix, and the word grouped when it is cut
// in several: "tower東京" -> "(tower (東京))", "s:東京" -> "s:(東京)".
std::string word_bracketed(std::string_view word) {
  std::size_t p = text_prefix_length(word);
  std::string_view prefix = word.substr(0, p);
  auto runs = cjk_runs(word.substr(p));
  if (runs.empty()) return std::string(word);
  std::string out;
  if (runs.size() > 1) out += '(';
  for (std::size_t k = 0; k < runs.size(); ++k) {
    if (k > 0) out += ' ';
    out.append(prefix);
    append_run(out, runs[k].first, runs[k].second);
  }
  if (runs.size() > 1) out += ')';
  return out;
}

// A term or phrase token with its CJK runs bracketed: the unquoted start of
// a term as a word, anything from its first quote on run by run (brackets
// inside a phrase change nothing there).
std::string token_bracketed(const Token& t) {
  std::string out = t.sign ? std::string(1, t.sign) : std::string();
  std::size_t q = t.kind == TokenKind::kPhrase ? 0 : first_quote(t.text);
  std::string_view head = t.text.substr(0, q);
  out += has_cjk(head) ? word_bracketed(head) : std::string(head);
  return out + runs_bracketed(t.text.substr(q));
}

// `text` (already prepared) with the CJK runs of its terms and phrases
// bracketed; filter values stay as written.
std::string with_cjk_bracketed(std::string_view text, const std::vector<Token>& tokens) {
  return rewritten(text, tokens, [](const Token& t) -> std::optional<std::string> {
    if (t.kind == TokenKind::kFilter || t.kind == TokenKind::kOperator || !has_cjk(t.text)) return {};
    return token_bracketed(t);
  });
}

// --- operators out of place ----------------------------------------------
//
// Xapian 1.4.22 leaks memory when its parse fails with NEAR or ADJ on its
// stack ("a AND ADJ/3 b", found by fuzz/query_parse), and reads an operator
// that opens the query as a word only after a failed parse (whose error path
// leaks too when CJK text follows). So these operators are lower-cased here,
// which is how Xapian ends up reading them: AND, OR or XOR with nothing
// before them, and NEAR or ADJ anywhere but in a query that is one chain of
// plain words and simple filters ("list:r-help a NEAR b NEAR c"); every
// looser rule tried let the fuzzer find another failing parse. Other
// misplaced operators ("foo AND") stay errors that Xapian reports without
// leaking.

bool is_proximity(std::string_view op) {
  return op.substr(0, 4) == "NEAR" || op.substr(0, 3) == "ADJ";
}

// Whether Xapian makes a term of the token at all: a token without one of
// its word characters (punctuation, control or private-use characters alone:
// "#", "\x7f", U+FFFD, U+EF0C) is dropped by its lexer.
bool makes_a_term(const Token& t) {
  if (t.kind != TokenKind::kTerm) return true;
  return find_code_point(t.text, [](char32_t cp) {
           return Xapian::Unicode::is_wordchar(static_cast<unsigned>(cp));
         }) < t.text.size();
}

// Whether `t` is a plain word: word characters only (no CJK, nothing that
// splits it, makes it a wildcard or a phrase: "x-y", "a@b.com", "b*"), no
// sign, possibly after a text-field prefix ("subject:word").
bool plain_word(const Token& t) {
  if (t.kind != TokenKind::kTerm || t.sign) return false;
  std::string_view word = t.text.substr(text_prefix_length(t.text));
  if (word.empty()) return false;
  return find_code_point(word, [](char32_t cp) {
           return !Xapian::Unicode::is_wordchar(static_cast<unsigned>(cp)) || is_cjk(cp);
         }) == word.size();
}

// Whether `t` is an unsigned boolean filter ("list:r-help") whose value is
// printable ASCII without quotes or brackets.
bool simple_filter(const Token& t) {
  if (t.kind != TokenKind::kFilter || t.sign) return false;
  std::size_t colon = t.text.find(':');
  const index::Field* field = index::find_field(ascii_lower(t.text.substr(0, colon)));
  if (field == nullptr || field->kind != index::FieldKind::kBoolean) return false;
  std::string_view value = t.text.substr(colon + 1);
  for (char c : value) {
    if (c <= ' ' || c > '~' || c == '"' || c == '(' || c == ')') return false;
  }
  return !value.empty();
}

// Whether NEAR and ADJ may keep their meaning in the query `tokens`: simple
// filters, then one chain of plain words joined by NEAR or by ADJ (not
// both), then simple filters. Xapian fails to parse any other word beside a
// chain ("x a NEAR b", "a NEAR b c") and retries with the operators as words.
bool proximity_query(const std::vector<Token>& tokens) {
  std::size_t i = 0;
  auto skip_filters = [&] {
    while (i < tokens.size() && simple_filter(tokens[i])) ++i;
  };
  auto take_word = [&] { return i < tokens.size() && plain_word(tokens[i]) && ++i; };
  skip_filters();
  if (!take_word()) return false;
  std::optional<std::string_view> kind;  // "NEA" or "ADJ"
  while (i < tokens.size() && tokens[i].kind == TokenKind::kOperator) {
    const Token& op = tokens[i++];
    if (op.sign || !is_proximity(op.text)) return false;
    if (kind && *kind != op.text.substr(0, 3)) return false;
    kind = op.text.substr(0, 3);
    if (!take_word()) return false;
  }
  skip_filters();
  return kind.has_value() && i == tokens.size();
}

// Which of `tokens` are operators to read as words (see above).
std::vector<bool> misplaced_operators(const std::vector<Token>& tokens) {
  std::vector<bool> misplaced(tokens.size(), false);
  const bool proximity = proximity_query(tokens);
  bool term_before = false;  // whether a token before this one makes a term
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.kind == TokenKind::kOperator && is_proximity(t.text)) {
      misplaced[i] = !proximity;
    } else if (t.kind == TokenKind::kOperator && t.text != "NOT") {
      misplaced[i] = !term_before;
    }
    if (makes_a_term(t)) term_before = true;
  }
  return misplaced;
}

// `text` (already prepared) with its misplaced operators lower-cased.
std::string with_operators_in_place(std::string_view text, const std::vector<Token>& tokens) {
  std::vector<bool> misplaced = misplaced_operators(tokens);
  std::size_t index = 0;
  return rewritten(text, tokens, [&](const Token& t) -> std::optional<std::string> {
    if (!misplaced[index++]) return {};
    return (t.sign ? std::string(1, t.sign) : std::string()) + ascii_lower(t.text);
  });
}

// --- gaps between words -----------------------------------------------------

// Whether Xapian reads `cp` as a gap between words without saying so: control
// characters (which its lexer drops, leaving a sign after them to mean one)
// and Unicode white space. Read as anything else by this file's tokenizer,
// they let a query pass the structure check that Xapian then parses another
// way: "-l\0-(\x01-has:!)" crashed Xapian 1.4.22 (fuzz/query_parse).
bool is_gap(char32_t cp) {
  if (cp < 0x80 && is_space(static_cast<char>(cp))) return false;  // a space already
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
         Xapian::Unicode::is_whitespace(static_cast<unsigned>(cp));
}

// `text` with every gap (above) made an ASCII space; invalid UTF-8 is kept.
std::string with_gaps_as_spaces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto [cp, n] = decode_at(text, i);
    if (is_gap(cp)) {
      out += ' ';
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

// --- where Xapian starts a new word -----------------------------------------
//
// Xapian's lexer skips a character that is neither a word character nor
// syntax ("!", "˛", U+FFFD) and reads the next word character as the start
// of a new token, where it recognises a field name again; this file's
// tokenizer read the whole run as one term. In "˛list:!\" \xFFlist:!\" NOT
// NEAR/6" it saw one term running to the end (normalised, the second filter
// follows U+FFFD and its value's quote opened a quoted part), where Xapian
// saw two filters, NOT and NEAR: its parse failed and leaked
// (fuzz/query_parse). So, in the unquoted start of each term, such a run
// is dropped when it opens the term and followed by a space inside it,
// which Xapian reads the same way. Tests: query_text_test,
// tests/data/fuzz/query_parse.

bool is_word_code_point(char32_t cp) { return Xapian::Unicode::is_wordchar(static_cast<unsigned>(cp)); }

bool is_digit(char32_t cp) {
  return Xapian::Unicode::get_category(static_cast<unsigned>(cp)) ==
         Xapian::Unicode::DECIMAL_DIGIT_NUMBER;
}

// Whether Xapian keeps the single character `cp` between the word
// characters `before` and `after` inside one term ("at&t", "don't", "1,000").
bool is_infix(char32_t before, char32_t cp, char32_t after) {
  static constexpr std::array<char32_t, 11> kInfix{'\'', '&', 0xB7, 0x5F4, 0x2027, 0x2019,
                                                   0x201B, 0x200B, 0x200C, 0x200D, 0x2060};
  static constexpr std::array<char32_t, 11> kDigitInfix{',', '.', ';', 0x37E, 0x589, 0x60D,
                                                        0x7F8, 0x2044, 0xFE10, 0xFE13, 0xFE14};
  auto in = [cp](const auto& set) {
    for (char32_t c : set) {
      if (c == cp) return true;
    }
    return false;
  };
  if (in(kInfix) || cp == 0xFEFF) return true;
  return is_digit(before) && is_digit(after) && in(kDigitInfix);
}

// Whether a run of non-word characters between two word characters leaves
// them in one token for Xapian: one infix character, or characters that
// join words into a phrase ("a.b", "x--y", "user@host").
bool keeps_one_token(std::string_view run, char32_t before, char32_t after) {
  auto [cp, n] = decode_at(run, 0);
  if (n == run.size() && is_infix(before, cp, after)) return true;
  return run.find_first_not_of(".-/:\\@") == std::string_view::npos;
}

// Whether Xapian reads `run`, right after a word, as part of that word when a
// space follows it (a wildcard "*", a suffix "++" or "#"); followed by a word
// character it reads them as nothing.
bool is_word_suffix(std::string_view run) {
  return run == "*" || run.find_first_not_of("+#") == std::string_view::npos;
}

// `head` (the unquoted start of a term) split where Xapian starts a new
// token: an opening run of non-word characters dropped, and each run
// between words that does not keep them together followed by a space (or,
// if it would then join the word before, made spaces).
std::string head_split(std::string_view head) {
  std::string out;
  char32_t before = 0;  // the last word character, 0 at the start
  std::size_t i = 0;
  while (i < head.size()) {
    auto [cp, n] = decode_at(head, i);
    if (is_word_code_point(cp)) {
      out.append(head.substr(i, n));
      before = cp;
      i += n;
      continue;
    }
    std::size_t j = i + find_code_point(head.substr(i), is_word_code_point);
    std::string_view run = head.substr(i, j - i);
    i = j;
    if (j == head.size()) {
      out.append(run);  // nothing follows: Xapian reads no word from it
    } else if (before == 0) {
      continue;  // dropped: the word after it starts the token
    } else if (keeps_one_token(run, before, decode_at(head, j).first)) {
      out.append(run);
    } else if (is_word_suffix(run)) {
      out.append(run.size(), ' ');
    } else {
      out.append(run).append(" ");
    }
  }
  return out;
}

// `text` (already prepared) with its terms split where Xapian starts a new
// token (see above).
std::string with_words_split(std::string_view text, const std::vector<Token>& tokens) {
  return rewritten(text, tokens, [](const Token& t) -> std::optional<std::string> {
    if (t.kind != TokenKind::kTerm) return {};
    std::size_t q = first_quote(t.text);
    std::string head = head_split(t.text.substr(0, q));
    if (head == t.text.substr(0, q)) return {};
    std::string out = t.sign ? std::string(1, t.sign) : std::string();
    return out.append(head).append(t.text.substr(q));
  });
}

// `text` split until it reads as Xapian reads it: a split can end a filter
// value early and so reveal a term further on that needs splitting too
// ("!list:a\"b c!list:x\""). A pass that changes the text settles at least
// one of its runs of non-word characters and unsettles none, so there are
// never more passes than bytes.
std::string split_as_xapian_reads(std::string text) {
  for (std::size_t pass = 0, runs = text.size(); pass <= runs; ++pass) {
    std::string next = with_words_split(text, tokenize_query(text));
    if (next == text) break;
    text = std::move(next);
  }
  return text;
}

// `text` without the signs of terms that make no term ("-;"). To folio's
// checks such a token is nothing, sign and all; Xapian 1.4.22 carries the
// sign over to the next token, so "a +(-; list:t)" was a group that only
// excludes to Xapian alone, on which it crashed (SEGV in Query::operator&=,
// fuzz/query_parse), and "-; b" excluded b. What is left reads the same to
// both: a run of non-word characters, dropped.
std::string without_idle_signs(std::string_view text, const std::vector<Token>& tokens) {
  return rewritten(text, tokens, [](const Token& t) -> std::optional<std::string> {
    if (t.kind != TokenKind::kTerm || !t.sign || makes_a_term(t)) return {};
    std::size_t first = t.text.find_first_not_of("+-");
    return std::string(first == std::string_view::npos ? std::string_view() : t.text.substr(first));
  });
}

}  // namespace

std::vector<Token> tokenize_query(std::string_view s) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < s.size()) {
    if (is_space(s[i])) {
      ++i;
      continue;
    }
    char sign = 0;
    if (is_sign_at(s, i)) sign = s[i++];
    Token t;
    if (s[i] == '(' || s[i] == ')') {
      t = {s[i] == '(' ? TokenKind::kOpen : TokenKind::kClose, 0, s.substr(i, 1)};
    } else {
      t = read_token(s, i);
    }
    t.sign = sign;
    tokens.push_back(t);
    i += t.text.size();
  }
  return tokens;
}

Result<std::string> prepare_query_text(std::string_view text, const TextLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Err(Code::kInvalidArgument, "the query is " + std::to_string(text.size()) +
                                           " bytes long; at most " +
                                           std::to_string(limits.max_bytes) + " are allowed");
  }
  const std::string spaced = with_gaps_as_spaces(text);
  std::string out = split_as_xapian_reads(rebuilt(spaced, tokenize_query(spaced)));
  out = without_idle_signs(out, tokenize_query(out));
  // Checked after normalising, because that is what Xapian reads: NFKC may
  // have made a full-width "（" into "(". The brackets around CJK runs come
  // after the check, so they never count against max_depth.
  std::vector<Token> tokens = tokenize_query(out);
  FOLIO_TRY(check_structure(out, tokens, limits.max_depth));
  out = with_operators_in_place(out, tokens);
  return with_cjk_bracketed(out, tokenize_query(out));
}

}  // namespace folio::query::internal
