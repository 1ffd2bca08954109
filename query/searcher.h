// searcher.h: Searcher, the read side of the live index generation: search, count, message, thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "index/config.h"
#include "index/home.h"
#include "index/model/result.h"
#include "query/access_scope.h"
#include "query/search_types.h"

namespace folio::query {

// Bounds of a Searcher that the config does not set.
struct SearcherOptions {
  std::size_t max_thread_messages = 10000;  // messages returned for one thread
};

// Answers searches and lookups from the index generation that the home's
// CURRENT file names, opened read-only. Every answer is filtered by an
// AccessScope: what the scope hides is absent, in hits, totals, counts,
// list names and threads, and a hidden message is reported exactly like a
// missing one.
//
// Not thread-safe: keep one Searcher per thread (Xapian objects take no
// locks). No exception escapes; Xapian errors are returned as Errors. When
// the writer overwrites the revision being read (DatabaseModifiedError) the
// Searcher reopens and retries the call (up to internal::kMaxReopens times).
class Searcher {
 public:
  // Opens the live generation of `home`. kNotFound when the home has no
  // CURRENT (not initialised) or the generation's database is missing;
  // kIOError or kCorruption when it cannot be read. A generation directory
  // that is still empty (nothing indexed yet) opens as an empty index.
  static model::Result<std::unique_ptr<Searcher>> open(const index::Home& home,
                                                       const index::SearchSettings& settings,
                                                       const SearcherOptions& options = {});
  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  // Moves to the newest index revision: opens the generation CURRENT names
  // if it changed (a reindex swapped generations), else picks up new
  // commits. Cheap when nothing changed (one small file read). On error
  // the Searcher keeps serving what it had.
  model::Status refresh();

  // The generation being served.
  std::uint64_t generation() const;

  // One page of hits for `request`, within `scope`. kInvalidArgument for a
  // bad query, limit > max_page_size or offset > max_offset. A request.list
  // the scope hides yields an empty page, exactly as a visible list without
  // matches. Relevance is BM25 with newer first among equals; kDate is
  // newest first. With collapse_thread, one hit per thread and total counts
  // threads. Totals are counted exactly up to 10,000 matches (`exact`),
  // beyond that the total is an estimate.
  //
  // With request.facets, page.facets holds the matches per visible list and
  // per year, counted by the same match (no second query): every match up
  // to settings.max_facet_matches is examined, so the facets and the total
  // are exact (Facets::exact) when there are no more; beyond, each count is
  // a lower bound.
  //
  // With request.suggest, page.suggestion may hold a corrected query (see
  // query/spelling.h): only when the query has few visible matches, and only
  // a query with more visible matches, built from words that occur in lists
  // within `scope` (a word found only in hidden lists is never suggested).
  model::Result<SearchPage> search(const SearchRequest& request, const AccessScope& scope);

  // The exact number of matches (threads when collapsed) for `request`
  // within `scope`; offset and limit are ignored. Errors as search().
  model::Result<std::uint64_t> count(const SearchRequest& request, const AccessScope& scope);

  // The message with `message_id` (as stored, without <>). When several
  // visible documents share the id, the first by docid, with their number
  // in `variants`. kNotFound "no such message" when it is missing or hidden.
  model::Result<MessageView> message(std::string_view message_id, const AccessScope& scope);

  // The visible messages of the thread holding `message_id`, as a tree (see
  // search_types.h): at most options.max_thread_messages, the earliest, with
  // `truncated` set when there were more. Hidden messages are absent and
  // their visible replies hang from the nearest visible ancestor.
  // kNotFound "no such message" when the message is missing or hidden.
  model::Result<ThreadView> thread(std::string_view message_id, const AccessScope& scope);

  // As thread(), by thread label (Hit::thread). kInvalidArgument when
  // `label` is not a thread label; kNotFound "no such thread" when the
  // thread has no visible message.
  model::Result<ThreadView> thread_by_label(std::string_view label, const AccessScope& scope);

 private:
  struct Impl;
  explicit Searcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace folio::query
