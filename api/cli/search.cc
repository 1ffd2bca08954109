// search.cc: `folio search`: query the archive as a given reader.
#include <unistd.h>

#include <cstring>
#include <iostream>

#include "api/cli/commands.h"
#include "api/cli/reader_setup.h"
#include "api/json.h"

namespace folio::api::cli {

namespace {

using model::Code;
using model::Err;

// Snippet HTML as terminal text: marks in bold (or *stars* when piped), entities decoded.
std::string terminal_snippet(const std::string& html, bool tty) {
  std::string out;
  for (std::size_t i = 0; i < html.size();) {
    auto starts = [&](const char* s) { return html.compare(i, std::strlen(s), s) == 0; };
    struct { const char* from; const char* to; } subs[] = {
        {"<mark>", tty ? "\033[1m" : "*"}, {"</mark>", tty ? "\033[0m" : "*"}, {"&amp;", "&"},
        {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&#x27;", "'"}};
    bool replaced = false;
    for (const auto& s : subs) {
      if (starts(s.from)) {
        out += s.to;
        i += std::strlen(s.from);
        replaced = true;
        break;
      }
    }
    if (!replaced) out += html[i++] == '\n' ? ' ' : html[i - 1];
  }
  return out;
}

void print_text(const query::SearchPage& page) {
  bool tty = ::isatty(STDOUT_FILENO) == 1;
  std::cout << page.total << (page.exact ? "" : " (about)") << " matches";
  if (!page.hits.empty()) {
    std::cout << ", showing " << page.offset + 1 << "-" << page.offset + page.hits.size();
  }
  std::cout << "\n";
  if (page.suggestion) std::cout << "Did you mean: " << *page.suggestion << "\n";
  for (const auto& h : page.hits) {
    std::string lists;
    for (const auto& l : h.lists) lists += (lists.empty() ? "" : ",") + l;
    std::cout << "\n" << iso_date(h.date).substr(0, 10) << "  [" << lists << "]  " << h.from.name
              << " <" << h.from.addr << ">\n  " << h.subject << "\n  id:" << h.message_id
              << "  thread:" << h.thread << "\n  " << terminal_snippet(h.snippet, tty) << "\n";
  }
}

void print_facets(const query::Facets& f) {
  std::cout << "\nlists" << (f.exact ? "" : " (at least)") << ":";
  for (const auto& [list, n] : f.lists) std::cout << "  " << list << " " << n;
  std::cout << "\nyears" << (f.exact ? "" : " (at least)") << ":";
  for (const auto& [year, n] : f.years) std::cout << "  " << year << " " << n;
  std::cout << "\n";
}

model::Result<query::SearchRequest> request_from(const Args& args, const Reader& reader) {
  query::SearchRequest req;
  for (const auto& word : args.positional) req.query += (req.query.empty() ? "" : " ") + word;
  req.list = args.get("list");
  std::string sort = args.get("sort", "relevance");
  if (sort == "date") {
    req.sort = query::SearchRequest::Sort::kDate;
  } else if (sort != "relevance") {
    return Err(Code::kInvalidArgument, "--sort must be relevance or date");
  }
  auto offset = parse_count("offset", args.get("offset", "0"));
  FOLIO_TRY(offset);
  auto limit = parse_count("limit", args.get("limit", "20"));
  FOLIO_TRY(limit);
  req.offset = offset.value();
  req.limit = limit.value();
  req.collapse_thread = args.has("collapse");
  req.facets = args.has("facets");
  req.suggest = true;
  if (!req.list.empty() && !reader.config.find_list(req.list)) {
    return Err(Code::kInvalidArgument, "no list named '" + req.list + "'");
  }
  return req;
}

}  // namespace

int cmd_search(const std::vector<std::string>& words) {
  auto args = parse_args(words, {{"home", "list", "as", "sort", "offset", "limit"},
                                 {"collapse", "count", "json", "facets"}});
  if (!args.ok()) return report(args.error());
  auto reader = open_reader(args.value());
  if (!reader.ok()) return report(reader.error());
  auto req = request_from(args.value(), reader.value());
  if (!req.ok()) return report(req.error());
  if (args->has("count")) {
    auto n = reader->searcher->count(req.value(), reader->scope);
    if (!n.ok()) return report(n.error());
    std::cout << n.value() << "\n";
    return kExitOk;
  }
  auto page = reader->searcher->search(req.value(), reader->scope);
  if (!page.ok()) return report(page.error());
  if (args->has("json")) {
    std::cout << boost::json::serialize(search_page_json(page.value())) << "\n";
  } else {
    print_text(page.value());
    if (page->facets) print_facets(*page->facets);
  }
  return kExitOk;
}

}  // namespace folio::api::cli
