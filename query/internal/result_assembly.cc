// result_assembly.cc: building hits, message views and thread items from index documents.
#include "query/internal/result_assembly.h"

#include "index/doc_data.h"
#include "index/schema.h"
#include "index/text_normalizer.h"

namespace folio::query::internal {

using model::Code;
using model::Err;
using model::Result;

namespace {

constexpr std::size_t kSnippetBytes = 200;
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

class NormalizingStemmer : public Xapian::StemImplementation {
 public:
  std::string operator()(const std::string& word) override {
    return english_(index::is_ascii(word) ? word : index::normalize_text(word));
  }
  std::string get_description() const override { return "folio normalising english"; }

 private:
  Xapian::Stem english_{"english"};
};

}  // namespace

Xapian::Stem snippet_stemmer() { return Xapian::Stem(new NormalizingStemmer); }

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

std::int64_t document_date(const Xapian::Document& doc) {
  std::string value = doc.get_value(index::slot::kDate);
  if (value.empty()) return 0;
  return static_cast<std::int64_t>(Xapian::sortable_unserialise(value));
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
                         const Xapian::Stem& stem) {
  // SNIPPET_EXHAUSTIVE: without it Xapian 1.4 may settle on an early window
  // that holds no query term. A stored body is at most 64 KiB.
  unsigned flags = Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE |
                   Xapian::MSet::SNIPPET_CJK_NGRAM;
  return html_safe_snippet(mset.snippet(text, kSnippetBytes, stem, flags, std::string(kMarkOpen),
                                        std::string(kMarkClose), "..."));
}

Result<Hit> make_hit(const Xapian::MSet& mset, const Xapian::MSetIterator& it,
                     const AccessScope& scope, const Xapian::Stem& stem) {
  Xapian::Document doc = it.get_document();
  auto data = document_data(doc, *it);
  if (!data.ok()) return data.error();
  Hit hit;
  hit.docid = *it;
  hit.message_id = std::move(data->message_id);
  hit.lists = visible_lists(doc.get_value(index::slot::kLists), scope);
  hit.subject = std::move(data->subject);
  hit.from = std::move(data->from);
  hit.date = document_date(doc);
  hit.thread = doc.get_value(index::slot::kThread);
  hit.snippet = make_snippet(mset, data->body.empty() ? hit.subject : data->body, stem);
  return hit;
}

Result<MessageView> make_message_view(const Xapian::Document& doc, Xapian::docid docid,
                                      const AccessScope& scope) {
  auto data = document_data(doc, docid);
  if (!data.ok()) return data.error();
  MessageView view;
  view.docid = docid;
  view.data = std::move(*data);
  view.lists = visible_lists(doc.get_value(index::slot::kLists), scope);
  view.thread = doc.get_value(index::slot::kThread);
  view.date = document_date(doc);
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
