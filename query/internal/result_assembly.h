// result_assembly.h: index documents and matches -> Hit, MessageView, ThreadItem.
#pragma once

#ifndef XAPIAN_MOVE_SEMANTICS
#define XAPIAN_MOVE_SEMANTICS
#endif
#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "index/model/result.h"
#include "index/schema.h"
#include "query/access_scope.h"
#include "query/internal/thread_tree.h"
#include "query/search_types.h"

namespace folio::query::internal {

// The lists in a document's lists slot ('\n'-joined) that `scope` shows.
std::vector<std::string> visible_lists(std::string_view joined, const AccessScope& scope);

// The effective date in a document's date slot (0 when absent).
std::int64_t document_date(const Xapian::Document& doc);

// A document's thread, date and lists: from its hit meta slot (one value
// lookup), or from the three slots of an index built before that slot.
index::HitMeta document_meta(const Xapian::Document& doc);

// Makes Xapian's snippet HTML-safe. Xapian 1.4 escapes & < > in the text it
// returns and inserts the highlight markers verbatim; this also escapes
// " and ' and joins adjacent marks. The input must come from MSet::snippet
// with "<mark>" and "</mark>" as markers.
std::string html_safe_snippet(std::string_view xapian_snippet);

// What a snippet looks for in a text before Xapian sees it: the lower-case
// ASCII roots of the query's text terms (field prefixes dropped, stems as
// they are but for a final 'i' that stands for 'y': "Zpackag" -> "packag",
// "Zlibrari" -> "librar") and of its trailing-* wildcards.
struct SnippetNeedles {
  std::vector<std::string> roots;
  bool text_terms = false;  // the query has a term a text may hold (filters do not count)
  bool every_term_rooted = true;  // each text term and wildcard gave a root
};

// The needles of `query` (the user's query, before the access filter).
SnippetNeedles snippet_needles(const Xapian::Query& query);

// The stemmer for the snippets of a search with `needles`: English, applied
// after index::normalize_text, so that the word "Café" in a stored body
// matches the query term "cafe" (indexed text was normalised before
// stemming; the stored body was not). When every text term has a root, an
// ASCII word that begins no root's first two letters is not stemmed (its
// stem could not match: a stem keeps its word's first two letters).
Xapian::Stem snippet_stemmer(const SnippetNeedles& needles = {});

// The part of `text` a snippet is made from first. Xapian's snippet reads
// and stems every word it is given, so a text longer than 512 bytes is cut
// to a window around the first place where a needle begins a word (up to
// 160 bytes before it), or to its first 512 bytes when no needle does. The
// snippet itself is 200 bytes; a window of 2 KiB made searches with ten or
// more hits 17-20% slower than one of 768 bytes, and 512 bytes took 3-10%
// less CPU per search than 768 (docs/benchmarks.md).
struct SnippetWindow {
  std::string_view text;
  bool cut_head = false;  // text before the window was left out
  bool cut_tail = false;  // text after the window was left out
};
SnippetWindow snippet_window(std::string_view text, const SnippetNeedles& needles);

// A query-aware snippet of `text` for the match set's query, matched terms
// in <mark>; HTML-safe (see html_safe_snippet). Made from the window first
// (text left out shows as "..."); when that marks nothing though the query
// has text terms, from the whole text, so a match the needles miss (an
// accent, an irregular stem) is still shown.
std::string make_snippet(const Xapian::MSet& mset, const std::string& text,
                         const Xapian::Stem& stem, const SnippetNeedles& needles = {});

// The hit for the match at `it`. kCorruption when the document data is not
// readable. `mset` is sorted by the date slot (alone or with relevance) or
// not by value at all: a sort key is taken for the date.
model::Result<Hit> make_hit(const Xapian::MSet& mset, const Xapian::MSetIterator& it,
                            const AccessScope& scope, const Xapian::Stem& stem,
                            const SnippetNeedles& needles = {});

// The message view of document `docid`. kCorruption for unreadable data.
model::Result<MessageView> make_message_view(const Xapian::Document& doc, Xapian::docid docid,
                                             const AccessScope& scope);

// What thread building needs from document `docid`.
model::Result<ThreadItem> make_thread_item(const Xapian::Document& doc, Xapian::docid docid);

}  // namespace folio::query::internal
