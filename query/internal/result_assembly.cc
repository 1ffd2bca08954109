// result_assembly.cc: building hits, message views and thread items from index documents.
#include "query/internal/result_assembly.h"

#include <algorithm>
#include <optional>

#include "index/doc_data.h"
#include "index/schema.h"
#include "index/text_normalizer.h"

namespace folio::query::internal {

using model::Code;
using model::Err;
using model::Result;

namespace {

constexpr std::size_t kSnippetBytes = 200;
// Bytes of text given to Xapian's snippet, and how many of them come before
// the first needle (context the snippet may start with); see the header.
constexpr std::size_t kWindowBytes = 512;
constexpr std::size_t kWindowLead = 160;
constexpr std::string_view kOmitted = "...";
constexpr std::string_view kMarkOpen = "<mark>";
constexpr std::string_view kMarkClose = "</mark>";

Result<index::DocData> document_data(const Xapian::Document& doc, Xapian::docid docid) {
  auto data = index::decode_doc_data(doc.get_data());
  if (!data.ok()) {
    return Err(Code::kCorruption,
               "document " + std::to_string(docid) + ": " + data.error().message);
  }
  return data;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos;
       pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// The stemmer of one search's snippets. Xapian's snippet stems every word of
// the text it is given, only to compare the stem with the query's terms;
// most words cannot match (stemming took a seventh of a search page's time,
// bench/http). A stem starts with the first two letters of its word, a
// second 'y' read as 'i' (the English stemmer changes endings; of its
// irregular forms only "dying" -> "die", "lying", "tying" change a second
// letter), so an ASCII word whose first two letters start no needle root is
// given back unstemmed: it can match nothing either way. Without `starts`
// (a query term without a root) every word is stemmed.
class NormalizingStemmer : public Xapian::StemImplementation {
 public:
  explicit NormalizingStemmer(std::vector<std::string> starts) : starts_(std::move(starts)) {}

  std::string operator()(const std::string& word) override {
    if (cannot_match(word)) return word;
    return english_(index::is_ascii(word) ? word : index::normalize_text(word));
  }
  std::string get_description() const override { return "folio normalising english"; }

 private:
  bool cannot_match(const std::string& word) const {
    if (starts_.empty() || !index::is_ascii(word)) return false;
    if (word.size() < 2) return true;
    char a = ascii_lower(word[0]), b = second_letter(word[1]);
    return std::none_of(starts_.begin(), starts_.end(),
                        [&](const std::string& s) { return s[0] == a && second_letter(s[1]) == b; });
  }
  static char second_letter(char c) {
    c = ascii_lower(c);
    return c == 'y' ? 'i' : c;
  }

  Xapian::Stem english_{"english"};
  std::vector<std::string> starts_;  // two letters each
};

// Filters (list:, id:, thread:, has:, flags) name no text.
bool is_filter_term(std::string_view term) {
  for (const auto& f : index::kFields) {
    if (f.kind == index::FieldKind::kBoolean && term.substr(0, f.prefix.size()) == f.prefix) return true;
  }
  return term.substr(0, index::prefix::kFlag.size()) == index::prefix::kFlag;
}

// A term without its field prefix (the leading capitals), if it is plain
// lower-case ASCII of at least two characters; a stem's final 'i' (for a
// 'y' of the word: "librari") is dropped.
std::optional<std::string> root_of(std::string_view term) {
  std::size_t i = 0;
  while (i < term.size() && term[i] >= 'A' && term[i] <= 'Z') ++i;
  bool stem = i > 0 && term[0] == 'Z';
  std::string_view root = term.substr(i);
  if (stem && root.size() > 3 && root.back() == 'i') root.remove_suffix(1);
  if (root.size() < 2 || !std::all_of(root.begin(), root.end(), is_lower_alnum)) return std::nullopt;
  return std::string(root);
}

// Xapian 1.4 has no accessor for a wildcard's pattern; its description
// ends with it: "Query(WILDCARD SYNONYM Spack)".
// Adds the wildcards in `q` to `n`: each is a text term, with a root or
// (noted) without one.
void add_wildcards(const Xapian::Query& q, SnippetNeedles& n) {
  if (q.get_type() == Xapian::Query::OP_WILDCARD) {
    n.text_terms = true;
    std::string d = q.get_description();
    std::size_t close = d.rfind(')'), space = d.rfind(' ', close);
    std::optional<std::string> r;
    if (close != std::string::npos && space != std::string::npos && space < close) {
      r = root_of(std::string_view(d).substr(space + 1, close - space - 1));
    }
    if (r) {
      n.roots.push_back(*r);
    } else {
      n.every_term_rooted = false;
    }
    return;
  }
  for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) add_wildcards(q.get_subquery(i), n);
}

// Where the first needle begins a word in `text` (case-insensitively), or npos.
std::size_t first_needle(std::string_view text, const std::vector<std::string>& roots) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = ascii_lower(text[i]);
    if (!is_lower_alnum(c) || (i > 0 && is_lower_alnum(ascii_lower(text[i - 1])))) continue;
    for (const auto& r : roots) {
      if (r[0] != c || text.size() - i < r.size()) continue;
      std::size_t k = 1;
      while (k < r.size() && ascii_lower(text[i + k]) == r[k]) ++k;
      if (k == r.size()) return i;
    }
  }
  return std::string_view::npos;
}

// Moves `at` forward past the next white space (at most to `limit`), so a
// window starts at a word, never inside a UTF-8 sequence.
std::size_t after_space(std::string_view text, std::size_t at, std::size_t limit) {
  std::size_t i = at;
  while (i < limit && !is_space(text[i])) ++i;
  return i < limit ? i + 1 : at;
}

// Moves `at` back to the last white space after `floor`, for the same reason.
std::size_t before_space(std::string_view text, std::size_t at, std::size_t floor) {
  std::size_t i = at;
  while (i > floor && !is_space(text[i - 1])) --i;
  return i > floor ? i : at;
}

// A date slot value as seconds since the epoch; 0 when empty.
std::int64_t date_of(const std::string& value) {
  if (value.empty()) return 0;
  return static_cast<std::int64_t>(Xapian::sortable_unserialise(value));
}

}  // namespace

SnippetNeedles snippet_needles(const Xapian::Query& query) {
  SnippetNeedles n;
  for (auto it = query.get_unique_terms_begin(); it != query.get_unique_terms_end(); ++it) {
    const std::string term = *it;
    if (is_filter_term(term)) continue;
    n.text_terms = true;
    if (auto r = root_of(term)) {
      n.roots.push_back(*r);
    } else {
      n.every_term_rooted = false;
    }
  }
  add_wildcards(query, n);
  return n;
}

SnippetWindow snippet_window(std::string_view text, const SnippetNeedles& needles) {
  if (text.size() <= kWindowBytes) return {text, false, false};
  std::size_t hit = first_needle(text, needles.roots);
  std::size_t start = 0;
  if (hit == std::string_view::npos) hit = 0;
  if (hit > kWindowLead) start = after_space(text, hit - kWindowLead, hit);
  std::size_t end = std::min(text.size(), start + kWindowBytes);
  if (end < text.size()) end = before_space(text, end, hit + 1);
  // A window that still starts or ends inside a UTF-8 sequence (no space
  // to cut at) is moved to the sequence's edge.
  auto continuation = [&](std::size_t i) { return (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80; };
  while (start > 0 && start < text.size() && continuation(start)) --start;
  while (end < text.size() && continuation(end)) --end;
  return {text.substr(start, end - start), start > 0, end < text.size()};
}

Xapian::Stem snippet_stemmer(const SnippetNeedles& needles) {
  std::vector<std::string> starts;
  if (needles.every_term_rooted) {
    for (const auto& r : needles.roots) starts.push_back(r.substr(0, 2));
  }
  return Xapian::Stem(new NormalizingStemmer(std::move(starts)));
}

std::vector<std::string> visible_lists(std::string_view joined, const AccessScope& scope) {
  std::vector<std::string> lists;
  while (!joined.empty()) {
    std::size_t nl = joined.find('\n');
    std::string_view name = joined.substr(0, nl);
    if (scope.visible(name)) lists.emplace_back(name);
    joined = nl == std::string_view::npos ? std::string_view() : joined.substr(nl + 1);
  }
  return lists;
}

std::int64_t document_date(const Xapian::Document& doc) { return date_of(doc.get_value(index::slot::kDate)); }

index::HitMeta document_meta(const Xapian::Document& doc) {
  index::HitMeta meta;
  if (index::decode_hit_meta(doc.get_value(index::slot::kHitMeta), meta)) return meta;
  meta.thread = doc.get_value(index::slot::kThread);
  meta.date = document_date(doc);
  meta.lists = doc.get_value(index::slot::kLists);
  return meta;
}

std::string html_safe_snippet(std::string_view xapian_snippet) {
  std::string out;
  out.reserve(xapian_snippet.size() + 16);
  for (char c : xapian_snippet) {
    if (c == '"') {
      out += "&quot;";
    } else if (c == '\'') {
      out += "&#39;";
    } else {
      out += c;
    }
  }
  std::string adjacent = std::string(kMarkClose) + std::string(kMarkOpen);
  replace_all(out, adjacent, "");
  return out;
}

std::string make_snippet(const Xapian::MSet& mset, const std::string& text,
                         const Xapian::Stem& stem, const SnippetNeedles& needles) {
  // SNIPPET_EXHAUSTIVE: without it Xapian 1.4 may settle on an early window
  // that holds no query term. No SNIPPET_BACKGROUND_MODEL: it looks up the
  // frequency of every word of the text in the index (a B-tree read each),
  // which was most of the time of a search page; the query's terms decide.
  unsigned flags = Xapian::MSet::SNIPPET_EXHAUSTIVE | Xapian::MSet::SNIPPET_CJK_NGRAM;
  auto snippet = [&](std::string_view t) {
    return mset.snippet(std::string(t), kSnippetBytes, stem, flags, std::string(kMarkOpen),
                        std::string(kMarkClose), std::string(kOmitted));
  };
  SnippetWindow w = snippet_window(text, needles);
  std::string s = snippet(w.text);
  bool cut = w.cut_head || w.cut_tail;
  if (cut && needles.text_terms && s.find(kMarkOpen) == std::string::npos) return html_safe_snippet(snippet(text));
  if (w.cut_head && s.compare(0, kOmitted.size(), kOmitted) != 0) s.insert(0, kOmitted);
  bool ends_omitted = s.size() >= kOmitted.size() && s.compare(s.size() - kOmitted.size(), kOmitted.size(), kOmitted) == 0;
  if (w.cut_tail && !ends_omitted) s.append(kOmitted);
  return html_safe_snippet(s);
}

Result<Hit> make_hit(const Xapian::MSet& mset, const Xapian::MSetIterator& it,
                     const AccessScope& scope, const Xapian::Stem& stem, const SnippetNeedles& needles) {
  Xapian::Document doc = it.get_document();
  auto data = document_data(doc, *it);
  if (!data.ok()) return data.error();
  Hit hit;
  hit.docid = *it;
  index::HitMeta meta = document_meta(doc);
  hit.message_id = std::move(data->message_id);
  hit.lists = visible_lists(meta.lists, scope);
  hit.subject = std::move(data->subject);
  hit.from = std::move(data->from);
  hit.date = meta.date;
  hit.thread = std::move(meta.thread);
  hit.snippet = make_snippet(mset, data->body.empty() ? hit.subject : data->body, stem, needles);
  return hit;
}

Result<MessageView> make_message_view(const Xapian::Document& doc, Xapian::docid docid,
                                      const AccessScope& scope) {
  auto data = document_data(doc, docid);
  if (!data.ok()) return data.error();
  MessageView view;
  view.docid = docid;
  view.data = std::move(*data);
  index::HitMeta meta = document_meta(doc);
  view.lists = visible_lists(meta.lists, scope);
  view.thread = std::move(meta.thread);
  view.date = meta.date;
  return view;
}

Result<ThreadItem> make_thread_item(const Xapian::Document& doc, Xapian::docid docid) {
  auto data = document_data(doc, docid);
  if (!data.ok()) return data.error();
  ThreadItem item;
  item.docid = docid;
  item.message_id = std::move(data->message_id);
  item.in_reply_to = std::move(data->in_reply_to);
  item.references = std::move(data->references);
  item.date = document_date(doc);
  item.subject = std::move(data->subject);
  item.from = std::move(data->from);
  return item;
}

}  // namespace folio::query::internal
