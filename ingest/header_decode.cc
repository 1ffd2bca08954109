// header_decode.cc: RFC 2047 words, RFC 2231 parameters, address lists, message ids and dates.
#include "ingest/header_decode.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <map>

#include "ingest/charset.h"

namespace folio::ingest {
namespace {

bool is_wsp(char c) { return c == ' ' || c == '\t'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// A small non-negative decimal, or -1 (never throws, unlike std::stoi).
int to_int(std::string_view s) {
  if (s.empty() || s.size() > 9) return -1;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Control characters in decoded header text become spaces; NULs go.
std::string clean_controls(std::string s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\0') continue;
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? ' ' : c;
  }
  return std::string(trim(out));
}

// ---- RFC 2047 -------------------------------------------------------------

struct EncodedWord {
  std::string charset;
  std::string bytes;
  std::size_t end = 0;  // index just past "?="
};

// Parses the encoded word starting at text[start] ("=?"); false if it is not one.
bool parse_encoded_word(std::string_view text, std::size_t start, EncodedWord& word) {
  std::size_t cs_end = text.find('?', start + 2);
  if (cs_end == std::string_view::npos || cs_end == start + 2 || cs_end - start > 80) return false;
  std::string_view charset = text.substr(start + 2, cs_end - start - 2);
  if (std::any_of(charset.begin(), charset.end(), [](char c) { return is_space(c) || c == '='; })) {
    return false;
  }
  if (cs_end + 2 >= text.size() || text[cs_end + 2] != '?') return false;
  char enc = lower(text[cs_end + 1]);
  if (enc != 'b' && enc != 'q') return false;
  std::size_t data_start = cs_end + 3;
  std::size_t data_end = text.find("?=", data_start);
  if (data_end == std::string_view::npos) return false;
  std::string_view data = text.substr(data_start, data_end - data_start);
  word.charset = std::string(charset.substr(0, charset.find('*')));  // RFC 2231 language
  word.bytes = enc == 'b' ? decode_base64(data) : decode_quoted_printable(data, QpFlavor::kHeader);
  word.end = data_end + 2;
  return true;
}

bool all_space(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return is_space(c); });
}

// ---- RFC 2231 --------------------------------------------------------------

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Reads a parameter value at s[pos]: a quoted string or a token up to ';'.
std::string read_param_value(std::string_view s, std::size_t& pos) {
  while (pos < s.size() && is_space(s[pos])) ++pos;
  if (pos < s.size() && s[pos] == '"') {
    std::size_t close = pos + 1;
    while (close < s.size() && s[close] != '"') close += (s[close] == '\\') ? 2 : 1;
    if (close < s.size()) {
      std::string out;
      for (std::size_t i = pos + 1; i < close; ++i) {
        if (s[i] == '\\' && i + 1 < close) ++i;
        out += s[i];
      }
      pos = close + 1;
      while (pos < s.size() && s[pos] != ';') ++pos;  // junk after the quote
      return out;
    }
    ++pos;  // unbalanced quote: read the rest as a token
  }
  std::size_t end = s.find(';', pos);
  if (end == std::string_view::npos) end = s.size();
  std::string out(trim(s.substr(pos, end - pos)));
  pos = end;
  if (!out.empty() && out.back() == '"') out.pop_back();
  return out;
}

struct Section {
  bool encoded = false;
  std::string value;
};

// Joins RFC 2231 sections (sorted by number) and decodes them to UTF-8.
std::string join_sections(const std::map<int, Section>& sections) {
  std::string charset;
  std::string bytes;
  bool first = true;
  for (const auto& [number, section] : sections) {
    std::string_view v = section.value;
    if (first && section.encoded) {
      std::size_t q1 = v.find('\'');
      std::size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
      if (q2 != std::string_view::npos) {
        charset = std::string(v.substr(0, q1));
        v = v.substr(q2 + 1);
      }
    }
    first = false;
    bytes += section.encoded ? percent_decode(v) : std::string(v);
  }
  return to_utf8(bytes, charset);
}

// ---- addresses ---------------------------------------------------------------

enum class Tok { kAtom, kQuoted, kComment, kSpecial };

struct Token {
  Tok kind;
  std::string text;
  bool space_before = false;
};

bool is_addr_special(char c) {
  return c == '<' || c == '>' || c == '@' || c == ',' || c == ';' || c == ':';
}

// Reads a quoted string or comment body starting after its opening char.
std::string read_delimited(std::string_view s, std::size_t& i, char open, char close) {
  std::string out;
  int depth = 1;
  while (i < s.size()) {
    char c = s[i++];
    if (c == '\\' && i < s.size()) {
      out += s[i++];
    } else if (c == close && --depth == 0) {
      break;
    } else {
      if (c == open && open != close) ++depth;
      out += c;
    }
  }
  return out;
}

std::vector<Token> tokenize_addresses(std::string_view s) {
  std::vector<Token> tokens;
  bool space = false;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (is_space(c)) {
      space = true;
      ++i;
      continue;
    }
    Token t{Tok::kAtom, {}, space};
    space = false;
    if (c == '"') {
      ++i;
      t.kind = Tok::kQuoted;
      t.text = read_delimited(s, i, '"', '"');
    } else if (c == '(') {
      ++i;
      t.kind = Tok::kComment;
      t.text = read_delimited(s, i, '(', ')');
    } else if (is_addr_special(c)) {
      t.kind = Tok::kSpecial;
      t.text = std::string(1, c);
      ++i;
    } else if (c == '[') {
      std::size_t end = s.find(']', i);
      end = end == std::string_view::npos ? s.size() : end + 1;
      t.text = std::string(s.substr(i, end - i));
      i = end;
    } else {
      std::size_t start = i;
      while (i < s.size() && !is_space(s[i]) && !is_addr_special(s[i]) && s[i] != '"' &&
             s[i] != '(' && s[i] != '[') {
        ++i;
      }
      t.text = std::string(s.substr(start, i - start));
    }
    tokens.push_back(std::move(t));
  }
  return tokens;
}

bool is_special(const Token& t, char c) { return t.kind == Tok::kSpecial && t.text[0] == c; }

bool looks_like_domain(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return is_alpha(c) || is_digit(c) || c == '.' || c == '-';
  });
}

// "user at host.org" -> "user@host.org" (pipermail), on atoms only, so quoted
// strings and comments are never touched.
void restore_pipermail(std::vector<Token>& tokens) {
  std::vector<Token> out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    bool match = i + 2 < tokens.size() && tokens[i].kind == Tok::kAtom &&
                 tokens[i + 1].kind == Tok::kAtom && tokens[i + 2].kind == Tok::kAtom &&
                 tokens[i + 1].text == "at" && tokens[i + 1].space_before &&
                 tokens[i + 2].space_before && looks_like_domain(tokens[i + 2].text) &&
                 tokens[i + 2].text.find('.') != std::string::npos;
    if (!match) {
      out.push_back(std::move(tokens[i]));
      continue;
    }
    Token joined = tokens[i];
    joined.text += "@" + tokens[i + 2].text;
    out.push_back(std::move(joined));
    i += 2;
  }
  tokens = std::move(out);
}

using Entry = std::vector<Token>;

bool has_special(const Entry& e, char c) {
  return std::any_of(e.begin(), e.end(), [c](const Token& t) { return is_special(t, c); });
}

// Splits tokens into mailbox entries at ',' and ';'; a ':' before any '<' or
// '@' ends a group name, which is dropped.
std::vector<Entry> split_entries(std::vector<Token> tokens) {
  std::vector<Entry> entries(1);
  bool in_angle = false;
  bool addressy = false;  // the current entry has a '<' or '@' (so ':' is no group)
  for (Token& t : tokens) {
    Entry& cur = entries.back();
    if (is_special(t, '<')) in_angle = true;
    if (is_special(t, '>')) in_angle = false;
    if (!in_angle && (is_special(t, ',') || is_special(t, ';'))) {
      entries.emplace_back();
      addressy = false;
      continue;
    }
    if (!in_angle && is_special(t, ':') && !addressy) {
      cur.clear();
      continue;
    }
    addressy = addressy || is_special(t, '<') || is_special(t, '@');
    cur.push_back(std::move(t));
  }
  return entries;
}

std::string join_phrase(const Entry& e, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to && i < e.size(); ++i) {
    if (e[i].kind == Tok::kComment || (e[i].kind == Tok::kSpecial && e[i].text != ",")) continue;
    if (!out.empty() && e[i].space_before) out += ' ';
    out += e[i].text;
  }
  return out;
}

std::string first_comment(const Entry& e) {
  for (const Token& t : e) {
    if (t.kind == Tok::kComment && !trim(t.text).empty()) return t.text;
  }
  return {};
}

std::string normalise_addr(std::string addr) {
  std::size_t colon = addr.rfind(':');  // obsolete route "@a,@b:user@host"
  if (addr.starts_with('@') && colon != std::string::npos) addr.erase(0, colon + 1);
  std::size_t at = addr.rfind('@');
  if (at != std::string::npos) {
    for (std::size_t i = at + 1; i < addr.size(); ++i) addr[i] = lower(addr[i]);
  }
  return to_utf8(addr, "");
}

// The addr-spec inside "<...>": every non-comment token, no space.
std::string angle_addr(const Entry& e, std::size_t open) {
  std::string addr;
  for (std::size_t i = open + 1; i < e.size() && !is_special(e[i], '>'); ++i) {
    if (e[i].kind == Tok::kComment) continue;
    if (e[i].kind == Tok::kQuoted) {
      addr += '"' + e[i].text + '"';
    } else {
      addr += e[i].text;
    }
  }
  return addr;
}

// An entry without '<': the addr-spec is the run of tokens glued to the '@'.
model::Address bare_mailbox(const Entry& e) {
  model::Address a;
  std::size_t at = e.size();
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (is_special(e[i], '@') || (e[i].kind == Tok::kAtom && e[i].text.find('@') != std::string::npos)) {
      at = i;
      break;
    }
  }
  if (at == e.size()) {
    std::string phrase = join_phrase(e, 0, e.size());
    bool one_word = phrase.find(' ') == std::string::npos && !phrase.empty();
    if (one_word && e.size() >= 1 && e[0].kind == Tok::kAtom) {
      a.addr = normalise_addr(phrase);
      a.name = decode_words(first_comment(e));
    } else {
      a.name = decode_words(phrase);
    }
    return a;
  }
  auto glued = [&](std::size_t i) { return e[i].kind != Tok::kComment && !e[i].space_before; };
  std::size_t from = at;
  while (from > 0 && glued(from) && e[from - 1].kind != Tok::kComment) --from;
  std::size_t to = at + 1;
  while (to < e.size() && glued(to)) ++to;
  std::string addr;
  for (std::size_t i = from; i < to; ++i) {
    addr += e[i].kind == Tok::kQuoted ? '"' + e[i].text + '"' : e[i].text;
  }
  a.addr = normalise_addr(addr);
  std::string phrase = join_phrase(e, 0, from);
  std::string after = join_phrase(e, to, e.size());
  if (!after.empty()) phrase += (phrase.empty() ? "" : " ") + after;
  // "addr (Name)" is the old way to give a name; words around a bare
  // address are noise (Mailman's obfuscated "x @end|ng |rom y (Name)").
  std::string comment = first_comment(e);
  a.name = decode_words(comment.empty() ? phrase : comment);
  return a;
}

model::Address parse_mailbox(const Entry& e) {
  std::size_t open = e.size();
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (is_special(e[i], '<')) {
      open = i;
      break;
    }
  }
  if (open == e.size()) return bare_mailbox(e);
  model::Address a;
  a.addr = normalise_addr(angle_addr(e, open));
  std::string phrase = join_phrase(e, 0, open);
  a.name = decode_words(phrase.empty() ? first_comment(e) : phrase);
  return a;
}

// "Doe, John <jd@x.org>": a comma inside an unquoted name. An entry that is
// only words is glued to a following entry that has an angle address.
std::vector<Entry> merge_split_names(std::vector<Entry> entries) {
  std::vector<Entry> out;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    Entry& e = entries[i];
    bool only_words = !e.empty() && std::all_of(e.begin(), e.end(), [](const Token& t) {
      return (t.kind == Tok::kAtom && t.text.find('@') == std::string::npos) || t.kind == Tok::kQuoted;
    });
    if (only_words && i + 1 < entries.size() && has_special(entries[i + 1], '<') &&
        !entries[i + 1].empty() && !is_special(entries[i + 1].front(), '<')) {
      e.push_back(Token{Tok::kAtom, ",", false});
      for (Token& t : entries[i + 1]) e.push_back(std::move(t));
      entries[i + 1] = std::move(e);
      continue;
    }
    out.push_back(std::move(e));
  }
  return out;
}

// ---- message ids ---------------------------------------------------------------

void skip_comment(std::string_view s, std::size_t& i) {
  ++i;
  read_delimited(s, i, '(', ')');
}

// Reads "<id>" starting at s[i] == '<'; handles a missing '>'.
std::string read_bracketed_id(std::string_view s, std::size_t& i) {
  std::size_t start = ++i;
  while (i < s.size() && s[i] != '>' && s[i] != '<') ++i;
  std::string_view raw = s.substr(start, i - start);
  bool closed = i < s.size() && s[i] == '>';
  if (closed) ++i;
  if (!closed) raw = raw.substr(0, raw.find('('));
  std::string id;
  for (char c : raw) {
    if (!is_space(c)) id += c;
  }
  return id;
}

// ---- dates ---------------------------------------------------------------------

struct DateParts {
  int year = -1, month = -1, day = -1;
  int hour = 0, minute = 0, second = 0;
  bool have_time = false;
  int pm = -1;  // -1 none, 0 AM, 1 PM
  int offset_minutes = 0;
};

int month_index(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (word.size() < 3) return -1;
  std::string w = to_lower(word.substr(0, 3));
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (w == kMonths[i]) return static_cast<int>(i) + 1;
  }
  return -1;
}

// Named zones in minutes east of UTC; nullopt when the word is not a zone.
std::optional<int> zone_offset(std::string_view word) {
  static const std::map<std::string, int, std::less<>> kZones = {
      {"ut", 0}, {"utc", 0}, {"gmt", 0}, {"z", 0}, {"wet", 0}, {"bst", 60}, {"west", 60},
      {"cet", 60}, {"met", 60}, {"mez", 60}, {"cest", 120}, {"mest", 120}, {"mesz", 120},
      {"eet", 120}, {"eest", 180}, {"msk", 180}, {"ist", 330}, {"sgt", 480}, {"hkt", 480},
      {"awst", 480}, {"jst", 540}, {"kst", 540}, {"acst", 570}, {"aest", 600}, {"aedt", 660},
      {"nzst", 720}, {"nzdt", 780}, {"nst", -210}, {"ndt", -150}, {"ast", -240}, {"adt", -180},
      {"est", -300}, {"edt", -240}, {"cst", -360}, {"cdt", -300}, {"mst", -420},
      {"mdt", -360}, {"pst", -480}, {"pdt", -420}, {"akst", -540}, {"akdt", -480},
      {"hst", -600}};
  std::string w = to_lower(word);
  auto it = kZones.find(w);
  if (it != kZones.end()) return it->second;
  if (w.size() == 1 && is_alpha(w[0])) return 0;  // military zones: treat as unknown (RFC 5322)
  return std::nullopt;
}

// "+0530", "-05:30", "+05", "+5"; nullopt otherwise.
std::optional<int> numeric_offset(std::string_view s) {
  if (s.size() < 2 || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  std::string digits;
  for (char c : s.substr(1)) {
    if (is_digit(c)) {
      digits += c;
    } else if (c != ':') {
      return std::nullopt;
    }
  }
  int h = 0, m = 0;
  if (digits.size() == 4) {
    h = to_int(std::string_view(digits).substr(0, 2));
    m = to_int(std::string_view(digits).substr(2));
  } else if (digits.size() == 1 || digits.size() == 2) {
    h = to_int(digits);
  } else {
    return std::nullopt;
  }
  if (h > 23 || m > 59) return std::nullopt;
  return (s[0] == '-' ? -1 : 1) * (h * 60 + m);
}

bool parse_time(std::string_view s, DateParts& d) {
  int v[3] = {0, 0, 0};
  int n = 0;
  std::size_t i = 0;
  while (i < s.size() && n < 3) {
    std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start || i - start > 2) return false;
    v[n++] = to_int(s.substr(start, i - start));
    if (i < s.size() && (s[i] == ':' || s[i] == '.')) ++i;
  }
  if (n < 2 || i < s.size()) return false;
  d.hour = v[0];
  d.minute = v[1];
  d.second = v[2];
  d.have_time = true;
  return true;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
}

void add_number(std::string_view s, DateParts& d) {
  int v = s.size() <= 4 ? to_int(s) : -1;
  if (v < 0) return;
  if (s.size() <= 2 && d.day < 0 && !(d.year >= 0 && d.month < 0)) {
    d.day = v;
  } else if (d.year < 0) {
    d.year = s.size() == 2 ? (v < 50 ? 2000 + v : 1900 + v) : (s.size() == 3 ? 1900 + v : v);
  }
}

// "2000/07/11" (year first only: day/month order is ambiguous otherwise).
bool parse_slashed(std::string_view s, DateParts& d) {
  std::size_t s1 = s.find('/');
  std::size_t s2 = s1 == std::string_view::npos ? s1 : s.find('/', s1 + 1);
  if (s1 != 4 || s2 == std::string_view::npos) return false;
  int y = to_int(s.substr(0, 4)), m = to_int(s.substr(s1 + 1, s2 - s1 - 1)), day = to_int(s.substr(s2 + 1));
  if (y < 0 || m < 0 || day < 0) return false;
  d.year = y;
  d.month = m;
  d.day = day;
  return true;
}

// "2015-05-22", "2015-05-22T13:38:22Z", "22-May-2015".
bool parse_dashed(std::string_view s, DateParts& d) {
  std::size_t t = std::string_view::npos;  // the 'T' of ISO 8601, after a digit
  for (std::size_t k = 1; k < s.size(); ++k) {
    if ((s[k] == 'T' || s[k] == 't') && is_digit(s[k - 1])) {
      t = k;
      break;
    }
  }
  std::string_view date = s.substr(0, t);
  std::vector<std::string_view> f;
  std::size_t pos = 0;
  while (pos <= date.size()) {
    std::size_t dash = date.find('-', pos);
    if (dash == std::string_view::npos) dash = date.size();
    f.push_back(date.substr(pos, dash - pos));
    pos = dash + 1;
  }
  if (f.size() != 3) return false;
  if (f[0].size() == 4 && all_digits(f[0]) && all_digits(f[1]) && all_digits(f[2])) {
    d.year = to_int(f[0]);
    d.month = to_int(f[1]);
    d.day = to_int(f[2]);
  } else if (all_digits(f[0]) && month_index(f[1]) > 0 && all_digits(f[2])) {
    d.day = to_int(f[0]);
    d.month = month_index(f[1]);
    add_number(f[2], d);
  } else {
    return false;
  }
  if (t == std::string_view::npos) return true;
  std::string_view time = s.substr(t + 1);
  std::size_t zone = time.find_first_of("Zz+-");
  if (zone != std::string_view::npos) {
    std::string_view z = time.substr(zone);
    if (z == "Z" || z == "z") {
      d.offset_minutes = 0;
    } else if (auto off = numeric_offset(z)) {
      d.offset_minutes = *off;
    }
    time = time.substr(0, zone);
  }
  return parse_time(time, d);
}

void add_date_token(std::string_view tok, DateParts& d) {
  std::size_t dash = tok.find('-');
  if (is_digit(tok[0]) && dash != std::string_view::npos && dash < tok.find(':')) {
    parse_dashed(tok, d);  // a date, perhaps with an ISO 8601 time
  } else if (tok.find(':') != std::string_view::npos && is_digit(tok[0])) {
    parse_time(tok, d);
  } else if (all_digits(tok)) {
    add_number(tok, d);
  } else if (auto off = numeric_offset(tok)) {
    d.offset_minutes = *off;
  } else if (tok.find('/') != std::string_view::npos && is_digit(tok[0])) {
    parse_slashed(tok, d);
  } else if (int m = month_index(tok); m > 0 && d.month < 0 && tok.size() <= 9) {
    d.month = m;
  } else if (auto z = zone_offset(tok)) {
    d.offset_minutes = *z;
  } else if (std::string l = to_lower(tok); l == "am" || l == "pm") {
    d.pm = l == "pm" ? 1 : 0;
  } else if (l.size() > 3 && (l.starts_with("gmt") || l.starts_with("utc"))) {
    if (auto o = numeric_offset(l.substr(3))) d.offset_minutes = *o;
  }
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

std::optional<std::int64_t> to_epoch(DateParts d) {
  if (d.pm == 1 && d.hour < 12) d.hour += 12;
  if (d.pm == 0 && d.hour == 12) d.hour = 0;
  if (d.second == 60) d.second = 59;  // leap second
  if (d.year < 1000 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1 ||
      d.day > days_in_month(d.year, d.month) || d.hour > 23 || d.minute > 59 || d.second > 59) {
    return std::nullopt;
  }
  std::int64_t days = days_from_civil(d.year, d.month, d.day);
  return days * 86400 + d.hour * 3600 + d.minute * 60 + d.second - d.offset_minutes * 60;
}

}  // namespace

// ---- public: text ---------------------------------------------------------------

std::string unfold(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  std::size_t i = 0;
  while (i < value.size()) {
    char c = value[i];
    if (c != '\r' && c != '\n') {
      out += c;
      ++i;
      continue;
    }
    while (!out.empty() && is_wsp(out.back())) out.pop_back();
    while (i < value.size() && is_space(value[i])) ++i;
    if (!out.empty() && i < value.size()) out += ' ';
  }
  return std::string(trim(out));
}

std::string decode_base64(std::string_view in) {
  std::string out;
  out.reserve(in.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+' || c == '-') {
      v = 62;
    } else if (c == '/' || c == '_') {
      v = 63;
    } else if (c == '=') {
      break;
    } else {
      continue;
    }
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

std::string decode_quoted_printable(std::string_view in, QpFlavor flavor) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '_' && flavor == QpFlavor::kHeader) {
      out += ' ';
      continue;
    }
    if (c != '=') {
      out += c;
      continue;
    }
    if (i + 2 < in.size() && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2]));
      i += 2;
      continue;
    }
    // Soft line break: '=' then optional transport padding, then the break.
    std::size_t j = i + 1;
    while (j < in.size() && is_wsp(in[j])) ++j;
    if (flavor == QpFlavor::kBody && j < in.size() && (in[j] == '\r' || in[j] == '\n')) {
      if (in[j] == '\r' && j + 1 < in.size() && in[j + 1] == '\n') ++j;
      i = j;
      continue;
    }
    if (flavor == QpFlavor::kBody && j == in.size()) break;
    out += c;
  }
  return out;
}

std::string decode_words(std::string_view value) {
  std::string text = unfold(value);
  if (text.find("=?") == std::string::npos) return clean_controls(to_utf8(text, ""));
  std::string out;
  std::string pending;          // bytes of adjacent encoded words in one charset
  std::string pending_charset;
  bool have_pending = false;
  auto flush = [&] {
    if (have_pending) out += to_utf8(pending, pending_charset);
    pending.clear();
    have_pending = false;
  };
  std::size_t i = 0;
  std::size_t raw_start = 0;  // start of literal text not yet emitted
  std::size_t last_close = text.rfind("?=");  // no word can start after it
  while (i < text.size()) {
    std::size_t start = text.find("=?", i);
    EncodedWord word;
    if (start == std::string::npos || last_close == std::string::npos || start >= last_close) break;
    if (!parse_encoded_word(text, start, word)) {
      i = start + 2;
      continue;
    }
    std::string_view between(text.data() + raw_start, start - raw_start);
    if (!(have_pending && all_space(between))) {
      flush();
      out += to_utf8(between, "");
    }
    if (have_pending && to_lower(word.charset) != to_lower(pending_charset)) flush();
    pending += word.bytes;
    pending_charset = word.charset;
    have_pending = true;
    i = raw_start = word.end;
  }
  flush();
  out += to_utf8(std::string_view(text).substr(raw_start), "");
  return clean_controls(std::move(out));
}

// ---- public: MIME parameters ------------------------------------------------------

const MimeParam* MimeField::param(std::string_view name) const {
  const MimeParam* plain = nullptr;
  for (const MimeParam& p : params) {
    if (p.name != name) continue;
    if (p.extended) return &p;
    if (plain == nullptr) plain = &p;
  }
  return plain;
}

MimeField parse_mime_field(std::string_view raw) {
  std::string text = unfold(raw);
  std::string_view s = text;
  MimeField field;
  std::size_t pos = 0;
  while (pos < s.size() && (is_space(s[pos]) || s[pos] == '(' || s[pos] == '"')) {
    if (s[pos] == '(') {
      skip_comment(s, pos);
    } else {
      ++pos;
    }
  }
  while (pos < s.size() && s[pos] != ';' && s[pos] != '(' && !is_space(s[pos])) {
    if (s[pos] != '"') field.value += lower(s[pos]);
    ++pos;
  }
  std::map<std::string, std::map<int, Section>> extended;
  std::vector<std::string> order;
  while (pos < s.size()) {
    while (pos < s.size() && (s[pos] == ';' || is_space(s[pos]))) ++pos;
    std::size_t eq = s.find_first_of("=;", pos);
    if (eq == std::string_view::npos || s[eq] == ';') {
      pos = eq;
      continue;
    }
    std::string name = to_lower(trim(s.substr(pos, eq - pos)));
    pos = eq + 1;
    std::string value = read_param_value(s, pos);
    if (name.empty()) continue;
    std::size_t star = name.find('*');
    if (star == std::string::npos) {
      if (!field.param(name)) field.params.push_back(MimeParam{name, std::move(value), false});
      continue;
    }
    std::string base = name.substr(0, star);
    std::string_view rest = std::string_view(name).substr(star + 1);
    bool encoded = rest.empty() || rest.back() == '*';
    if (!rest.empty() && rest.back() == '*') rest.remove_suffix(1);
    int number = rest.empty() ? 0 : to_int(rest);
    if (number < 0) continue;
    if (extended.find(base) == extended.end()) order.push_back(base);
    extended[base].emplace(number, Section{encoded, std::move(value)});
  }
  for (const std::string& base : order) {
    field.params.push_back(MimeParam{base, join_sections(extended[base]), true});
  }
  return field;
}

// ---- public: addresses --------------------------------------------------------------

std::vector<model::Address> parse_address_list(std::string_view value,
                                               const AddressOptions& options) {
  std::string text = unfold(value);
  std::vector<Token> tokens = tokenize_addresses(text);
  if (options.pipermail) restore_pipermail(tokens);
  std::vector<model::Address> out;
  for (const Entry& e : merge_split_names(split_entries(std::move(tokens)))) {
    bool content = std::any_of(e.begin(), e.end(), [](const Token& t) { return t.kind != Tok::kComment; });
    if (!content) continue;
    model::Address a = parse_mailbox(e);
    if (!a.addr.empty() || !a.name.empty()) out.push_back(std::move(a));
  }
  return out;
}

// ---- public: message ids --------------------------------------------------------------

std::vector<std::string> parse_message_ids(std::string_view value) {
  std::vector<std::string> ids;
  std::size_t i = 0;
  while (i < value.size()) {
    char c = value[i];
    if (c == '(') {
      skip_comment(value, i);
    } else if (c == '<') {
      std::string id = read_bracketed_id(value, i);
      if (!id.empty()) ids.push_back(to_utf8(id, ""));
    } else if (is_space(c) || c == ',' || c == '>') {
      ++i;
    } else {
      std::size_t start = i;
      while (i < value.size() && !is_space(value[i]) && value[i] != '<' && value[i] != '(') ++i;
      std::string_view word = value.substr(start, i - start);
      while (!word.empty() && (word.back() == ',' || word.back() == ';' || word.back() == '"')) {
        word.remove_suffix(1);
      }
      while (!word.empty() && word.front() == '"') word.remove_prefix(1);
      if (word.find('@') != std::string_view::npos) ids.push_back(to_utf8(word, ""));
    }
  }
  return ids;
}

std::string parse_message_id(std::string_view value) {
  std::vector<std::string> ids = parse_message_ids(value);
  return ids.empty() ? std::string() : std::move(ids.front());
}

// ---- public: dates ------------------------------------------------------------------

std::optional<std::int64_t> parse_date(std::string_view value) {
  std::string text = unfold(value);
  std::string flat;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(') {
      skip_comment(text, i);
      --i;
      flat += ' ';
    } else {
      flat += text[i] == ',' ? ' ' : text[i];
    }
  }
  DateParts d;
  std::size_t pos = 0;
  std::string_view s = flat;
  while (pos < s.size()) {
    while (pos < s.size() && is_space(s[pos])) ++pos;
    std::size_t end = pos;
    while (end < s.size() && !is_space(s[end])) ++end;
    if (end > pos && end - pos < 40) add_date_token(s.substr(pos, end - pos), d);
    pos = end;
  }
  return to_epoch(d);
}

}  // namespace folio::ingest
