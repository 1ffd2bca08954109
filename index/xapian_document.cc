// xapian_document.cc: term generation and values for one message.
#include "index/xapian_document.h"

#include <algorithm>
#include <ctime>

#include "index/doc_data.h"
#include "index/schema.h"
#include "index/text_normalizer.h"

namespace folio::index {

namespace {

bool is_quoted_line(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return i < line.size() && line[i] == '>';
}

// Normalised text; ASCII passes through untouched (the term generator lower-cases).
std::string prepared(std::string_view text) {
  if (is_ascii(text)) return std::string(text);
  return normalize_text(text);
}

std::string address_text(const model::Address& a) {
  std::string s = a.name;
  if (!a.addr.empty()) {
    if (!s.empty()) s += ' ';
    s += a.addr;
  }
  return s;
}

std::string year_of(std::int64_t epoch) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return std::to_string(tm.tm_year + 1900);
}

void remove_terms_with_prefix(Xapian::Document& doc, std::string_view prefix) {
  std::vector<std::string> doomed;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    it.skip_to(std::string(prefix));
    if (it == doc.termlist_end()) break;
    const std::string& term = *it;
    if (term.compare(0, prefix.size(), prefix) != 0) break;
    doomed.push_back(term);
  }
  for (const auto& t : doomed) doc.remove_term(t);
}

}  // namespace

// Words are indexed as written (lower-cased), without a stemmed copy: the
// copy doubled the terms per message and cost ~40% of indexing time. Search
// stems at query time over the indexed words (query/internal/stem_forms.h).
struct DocumentBuilder::Impl {
  DocumentOptions options;
  Xapian::TermGenerator tg;

  explicit Impl(DocumentOptions o) : options(o) {
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
    tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
  }

  void index_field(std::string_view text, std::string_view prefix) {
    if (text.empty()) return;
    tg.index_text(prepared(text), 1, std::string(prefix));
    tg.increase_termpos(100);
  }

  // Body: unquoted runs with positions; quoted runs without, unless configured.
  void index_body(std::string_view body) {
    std::size_t pos = 0;
    std::string run;
    bool run_quoted = false;
    auto flush = [&] {
      if (run.empty()) return;
      if (run_quoted && options.quoted == QuotedText::kSkip) {
        run.clear();
        return;
      }
      std::string text = prepared(run);
      if (run_quoted && options.quoted == QuotedText::kWords) {
        tg.index_text_without_positions(text);
      } else {
        tg.index_text(text);
      }
      run.clear();
    };
    while (pos < body.size()) {
      std::size_t nl = body.find('\n', pos);
      std::size_t end = nl == std::string_view::npos ? body.size() : nl + 1;
      std::string_view line = body.substr(pos, end - pos);
      bool quoted = is_quoted_line(line);
      if (quoted != run_quoted) {
        flush();
        run_quoted = quoted;
      }
      run.append(line);
      pos = end;
    }
    flush();
  }
};

DocumentBuilder::DocumentBuilder(DocumentOptions options)
    : impl_(std::make_unique<Impl>(options)) {}
DocumentBuilder::~DocumentBuilder() = default;

Xapian::Document DocumentBuilder::build(const model::ParsedMessage& m) {
  Xapian::Document doc;
  auto& tg = impl_->tg;
  tg.set_document(doc);
  tg.set_termpos(0);
  impl_->index_field(m.subject, prefix::kSubject);
  impl_->index_field(address_text(m.from), prefix::kFrom);
  for (const auto& a : m.to) impl_->index_field(address_text(a), prefix::kTo);
  for (const auto& a : m.cc) impl_->index_field(address_text(a), prefix::kCc);
  DocData data;
  for (const auto& a : m.attachments) {
    impl_->index_field(a.filename, prefix::kAttachment);
    data.attachments.push_back(a.filename.empty() ? a.content_type : a.filename);
  }
  // The subject is free text too.
  if (!m.subject.empty()) {
    tg.index_text(prepared(m.subject));
    tg.increase_termpos(100);
  }
  impl_->index_body(m.body);
  tg.set_document(Xapian::Document());

  if (!m.message_id.empty()) doc.add_boolean_term(message_id_term(m.message_id));
  if (!m.attachments.empty()) {
    doc.add_boolean_term(std::string(prefix::kHas).append(kHasAttachment));
  }
  data.message_id = m.message_id;
  data.subject = m.subject;
  data.from = m.from;
  data.to = m.to;
  data.cc = m.cc;
  data.date = m.date;
  data.date_present = m.date_present;
  data.in_reply_to = m.in_reply_to;
  data.references = m.references;
  data.body = m.body;
  doc.set_data(encode_doc_data(data));
  return doc;
}

void apply_meta(Xapian::Document& doc, const StoredMeta& meta, MetaMode mode) {
  if (mode == MetaMode::kUpdate) {
    remove_terms_with_prefix(doc, prefix::kList);
    remove_terms_with_prefix(doc, prefix::kThread);
    remove_terms_with_prefix(doc, prefix::kFlag);
    remove_terms_with_prefix(doc, prefix::kDatePeriod);
  }
  std::string lists;
  for (const auto& l : meta.lists) {
    doc.add_boolean_term(list_term(l));
    if (!lists.empty()) lists += '\n';
    lists += l;
  }
  doc.add_boolean_term(thread_term(meta.thread));
  // The id term is re-added in case the message has a derived id.
  doc.add_boolean_term(message_id_term(meta.message_id));
  if (meta.flags & kFlagBadDate) {
    doc.add_boolean_term(std::string(prefix::kFlag).append(kFlagTermBadDate));
  }
  std::int64_t when = meta.effective_date();
  for (const auto& t : date_period_terms(when)) doc.add_boolean_term(t);
  doc.add_value(slot::kDate, Xapian::sortable_serialise(static_cast<double>(when)));
  doc.add_value(slot::kYear, when > 0 ? year_of(when) : std::string());
  std::string thread = thread_label(meta.thread);
  doc.add_value(slot::kThread, thread);
  doc.add_value(slot::kLists, lists);
  doc.add_value(slot::kHitMeta, encode_hit_meta({std::move(thread), when, std::move(lists)}));
}

ThreadId document_thread(const Xapian::Document& doc) {
  std::uint64_t t = 0;
  parse_thread_label(doc.get_value(slot::kThread), t);
  return t;
}

}  // namespace folio::index
