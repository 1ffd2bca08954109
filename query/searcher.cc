// searcher.cc: Enquire over the live generation, filtered by access scope; reopen on change.
#include "query/searcher.h"

#include <algorithm>
#include <optional>

#ifndef XAPIAN_MOVE_SEMANTICS
#define XAPIAN_MOVE_SEMANTICS
#endif
#include <xapian.h>

#include <filesystem>

#include "index/reader_board.h"
#include "index/schema.h"
#include "query/internal/access_filter.h"
#include "query/internal/facet_counter.h"
#include "query/internal/result_assembly.h"
#include "query/internal/suggester.h"
#include "query/internal/thread_tree.h"
#include "query/internal/xapian_guard.h"
#include "query/query_parser.h"

namespace folio::query {

using model::Code;
using model::Err;
using model::Error;
using model::Result;
using model::Status;

namespace {

Error no_such_message() { return Err(Code::kNotFound, "no such message"); }

// The lists a request searches: the visible ones, or its one list if visible.
std::vector<std::string> lists_for(const SearchRequest& request, const AccessScope& scope) {
  if (request.list.empty()) return scope.lists();
  if (scope.visible(request.list)) return {request.list};
  return {};
}

// Matches counted exactly before totals become estimates.
constexpr Xapian::doccount kExactTotals = 10000;
// No Enquire::set_time_limit: in Xapian 1.4.22 its POSIX timer (SIGEV_THREAD)
// can fire after get_mset has returned, and the late notification thread then
// writes into the stack where get_mset's timer flag was, under whatever frame
// lives there now. Under load `folio serve` crashed on it (SIGSEGV inside a
// later get_mset; docs/benchmarks.md, bench/soak). Counting is bounded by
// numbers of matches instead (kExactTotals, SearchSettings::max_facet_matches).

// What the index statistics say about a query before it is matched; asks
// Xapian for the bounds alone, which opens the posting lists but reads none.
struct Outlook {
  // Counting up to kExactTotals can make the total exact: not when the
  // statistics give it exactly already (a single term over the whole
  // index), nor when they prove there are more.
  bool worth_counting = true;
  // No match can weigh anything (only filters: "", list:, date:, has:), so
  // relevance order is date order, and sorting by date lets the matcher
  // skip what cannot reach the page instead of weighing every match.
  bool unweighted = false;
};

Outlook outlook(Xapian::Enquire& enquire) {
  Xapian::MSet bounds = enquire.get_mset(0, 0, Xapian::doccount{0});
  Xapian::doccount lower = bounds.get_matches_lower_bound();
  return {lower != bounds.get_matches_upper_bound() && lower < kExactTotals, bounds.get_max_possible() == 0};
}

// Relevance order breaks ties (equal weights) by date, newest first. Given
// the date as its tie-break, the matcher reads the date slot of every
// candidate, a walk of the date value stream that was a sixth of a term
// search's CPU time (bench/http). So an uncollapsed relevance search ranks
// by weight alone and orders the ties of its page by date itself
// (order_page_ties); should a tie cross the page's edge, which needs two
// matches with the same statistics, the page is asked again with the date
// tie-break (date_tie_break). Collapsing picks each thread's best message
// by the same order, inside the matcher, so it keeps the date tie-break;
// so do searches with facets, whose spies read every match's date anyway
// (and would count the matches twice were the page asked again).
bool ties_on_page(const SearchRequest& request) {
  return request.sort == SearchRequest::Sort::kRelevance && !request.collapse_thread && !request.facets;
}

void date_tie_break(Xapian::Enquire& enquire) {
  enquire.set_sort_by_relevance_then_value(index::slot::kDate, true);
  enquire.set_docid_order(Xapian::Enquire::ASCENDING);
}

void configure(Xapian::Enquire& enquire, const Xapian::Query& query, const SearchRequest& request) {
  enquire.set_query(query);
  if (request.sort == SearchRequest::Sort::kDate) {
    enquire.set_sort_by_value_then_relevance(index::slot::kDate, true);
  } else if (ties_on_page(request)) {
    enquire.set_sort_by_relevance();
  } else {
    date_tie_break(enquire);
  }
  if (request.collapse_thread) enquire.set_collapse_key(index::slot::kThread);
}

// Whether `mset`, a page asked with one extra match on each side (`before`:
// whether there was one before it), has equal weights across an edge of the
// `limit` matches in between.
bool tie_at_edge(const Xapian::MSet& mset, bool before, Xapian::doccount limit) {
  Xapian::doccount n = mset.size();
  if (before && n >= 2 && mset[0].get_weight() == mset[1].get_weight()) return true;
  Xapian::doccount first = before ? 1 : 0;
  if (limit == 0 || n <= first) return false;
  Xapian::doccount last = first + std::min<Xapian::doccount>(limit, n - first) - 1;
  return last + 1 < n && mset[last].get_weight() == mset[last + 1].get_weight();
}

// Orders equal weights of a page by date, newest first, then docid.
void order_page_ties(std::vector<std::pair<double, Hit>>& hits) {
  std::sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    if (a.second.date != b.second.date) return a.second.date > b.second.date;
    return a.second.docid < b.second.docid;
  });
}

// Whether every match reached the facet spies. The matcher stops examining
// documents early only once `check` of them matched; an exact uncollapsed
// total that equals what the spies saw also proves it.
bool all_examined(const Xapian::MSet& mset, Xapian::doccount examined, Xapian::doccount check) {
  Xapian::doccount lower = mset.get_uncollapsed_matches_lower_bound();
  if (lower == mset.get_uncollapsed_matches_upper_bound() && examined == lower) return true;
  return examined < check;
}

// Unweighted, in docid order: for lookups by id or thread term.
void configure_lookup(Xapian::Enquire& enquire, const Xapian::Query& query) {
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  enquire.set_docid_order(Xapian::Enquire::ASCENDING);
}

}  // namespace

struct Searcher::Impl {
  index::Home home;
  index::SearchSettings settings;
  SearcherOptions options;
  QueryParser parser;
  Xapian::Database db;
  internal::AccessFilter filter;  // surveyed whenever db is (re)opened
  std::uint64_t generation = 0;
  bool placeholder = false;  // the generation held no database yet
  // This searcher's place on the home's reader board (null: unannounced),
  // and how many ReadMarks are open on it.
  std::unique_ptr<index::ReaderSlot> slot;
  int marks = 0;

  Impl(const index::Home& h, const index::SearchSettings& s, const SearcherOptions& o)
      : home(h), settings(s), options(o), parser(QueryLimits::from(s)), slot(index::claim_reader_slot(h)) {}

  std::int64_t opened_ns = 0;  // when db was last (re)opened: its revision is at least that time's

  // Notes the time of the (re)open about to happen; inside a ReadMark (a
  // retry) also posts it first, so the writer either sees the post or has
  // committed before the reopen, which then reads that commit.
  void announce_open() {
    opened_ns = index::reader_clock_ns();
    if (slot && marks > 0) slot->reading(opened_ns);
  }

  // `text` for `scope`, its stemmed words expanded over db's words.
  Result<Xapian::Query> parse(const std::string& text, const AccessScope& scope);

  // Runs `f` under the Xapian guard, reopening once on DatabaseModifiedError.
  template <typename F>
  auto guarded(F&& f) -> decltype(f()) {
    return internal::xapian_guard(std::forward<F>(f), [this] { return refresh(); });
  }

  Status open_generation(std::uint64_t gen) {
    std::filesystem::path dir = home.generation_dir(gen);
    announce_open();
    Status s = internal::xapian_guard([&]() -> Status {
      std::error_code ec;
      bool fresh = std::filesystem::is_directory(dir, ec) && std::filesystem::is_empty(dir, ec);
      // An in-memory database stands in until the writer creates the real one.
      Xapian::Database opened =
          fresh ? Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY)
                : Xapian::Database(dir.string());
      filter.survey(opened);
      db = std::move(opened);
      generation = gen;
      placeholder = fresh;
      return {};
    });
    if (!s.ok()) return Err(s.error().code, "index " + dir.string() + ": " + s.error().message);
    return s;
  }

  Status refresh() {
    auto gen = home.current_generation();
    if (!gen.ok()) return gen.error();
    if (*gen != generation || placeholder) return open_generation(*gen);
    announce_open();
    return internal::xapian_guard([&]() -> Status {
      if (db.reopen()) filter.survey(db);
      return {};
    });
  }

  Status validate(const SearchRequest& request) const {
    if (request.limit > settings.max_page_size) {
      return Err(Code::kInvalidArgument, "limit " + std::to_string(request.limit) +
                                             " is over the page size limit of " +
                                             std::to_string(settings.max_page_size));
    }
    if (request.offset > settings.max_offset) {
      return Err(Code::kInvalidArgument, "offset " + std::to_string(request.offset) +
                                             " is over the offset limit of " +
                                             std::to_string(settings.max_offset));
    }
    return {};
  }

  // The matches the matcher must examine (its check_at_least). Totals up to
  // kExactTotals are counted, not estimated: an estimate draws on statistics
  // of the whole index, hidden lists included. Facets count every match up
  // to max_facet_matches (the spies see only the documents the matcher
  // examines), which also makes the total exact.
  Xapian::doccount to_examine(const SearchRequest& request, const Outlook& look) const {
    auto page_end = static_cast<Xapian::doccount>(request.offset + request.limit);
    if (request.facets) {
      auto cap = static_cast<Xapian::doccount>(std::min<std::size_t>(settings.max_facet_matches, db.get_doccount()));
      return std::max(cap, page_end);
    }
    if (look.worth_counting) return std::max(kExactTotals, page_end);
    return page_end;
  }

  Result<SearchPage> run_search(const Xapian::Query& user_query, const std::vector<std::string>& lists,
                                const SearchRequest& request, const AccessScope& scope) {
    internal::FacetCounter facets;  // outlives the Enquire that points to it
    Xapian::Enquire enquire(db);
    configure(enquire, filter.apply(user_query, lists), request);
    Outlook look = outlook(enquire);
    if (look.unweighted) enquire.set_sort_by_value_then_relevance(index::slot::kDate, true);
    if (request.facets) facets.attach(enquire);
    Xapian::doccount check = to_examine(request, look);
    auto offset = static_cast<Xapian::doccount>(request.offset);
    auto limit = static_cast<Xapian::doccount>(request.limit);
    bool tie_page = ties_on_page(request) && !look.unweighted;
    bool before = tie_page && offset > 0;
    Xapian::MSet mset = tie_page ? enquire.get_mset(offset - (before ? 1 : 0), limit + (before ? 2 : 1), check + 1)
                                 : enquire.get_mset(offset, limit, check);
    if (tie_page && tie_at_edge(mset, before, limit)) {
      date_tie_break(enquire);
      tie_page = before = false;
      mset = enquire.get_mset(offset, limit, check);
    }
    SearchPage page;
    page.offset = request.offset;
    page.limit = request.limit;
    page.total = mset.get_matches_estimated();
    page.exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    internal::SnippetNeedles needles = internal::snippet_needles(user_query);
    Xapian::Stem stem = internal::snippet_stemmer(needles);
    std::vector<std::pair<double, Hit>> hits;
    auto it = mset.begin();
    if (before && it != mset.end()) ++it;
    for (; it != mset.end() && hits.size() < limit; ++it) {
      auto hit = internal::make_hit(mset, it, scope, stem, needles);
      if (!hit.ok()) return hit.error();
      hits.emplace_back(it.get_weight(), std::move(*hit));
    }
    if (tie_page) order_page_ties(hits);
    for (auto& h : hits) page.hits.push_back(std::move(h.second));
    if (request.facets) {
      bool exact = all_examined(mset, facets.examined(), check);
      page.facets = facets.facets(scope, exact);
    }
    return page;
  }

  // Matches of `query` on `lists`, exact up to `cap`, at least `cap` beyond.
  Xapian::doccount visible_count(const Xapian::Query& query, const std::vector<std::string>& lists,
                                 Xapian::doccount cap) {
    Xapian::Enquire enquire(db);
    enquire.set_query(filter.apply(query, lists));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    return enquire.get_mset(0, 0, cap).get_matches_lower_bound();
  }

  Result<std::optional<std::string>> run_suggest(const SearchRequest& request, const AccessScope& scope,
                                                 const std::vector<std::string>& lists, std::uint64_t total) {
    auto visible = [&](const Xapian::Query& q, Xapian::doccount cap) { return visible_count(q, lists, cap); };
    return internal::suggest_query(db, parser, request.query, scope, total, visible);
  }

  Result<std::uint64_t> run_count(const Xapian::Query& query, const SearchRequest& request) {
    Xapian::Enquire enquire(db);
    configure(enquire, query, request);
    Xapian::MSet mset = enquire.get_mset(0, 0, db.get_doccount());
    return static_cast<std::uint64_t>(mset.get_matches_estimated());
  }

  // The first visible document with the id, and how many there are.
  Result<MessageView> run_message(const std::string& id, const AccessScope& scope) {
    Xapian::Enquire enquire(db);
    configure_lookup(enquire, filter.apply(Xapian::Query(index::message_id_term(id)), scope.lists()));
    Xapian::MSet mset = enquire.get_mset(0, 1, db.get_doccount());
    if (mset.empty()) return no_such_message();
    auto view = internal::make_message_view(mset.begin().get_document(), *mset.begin(), scope);
    if (!view.ok()) return view.error();
    view->variants = static_cast<std::uint32_t>(mset.get_matches_estimated());
    return view;
  }

  Result<ThreadView> run_thread(std::uint64_t thread, const AccessScope& scope) {
    Xapian::Enquire enquire(db);
    configure_lookup(enquire, filter.apply(Xapian::Query(index::thread_term(thread)), scope.lists()));
    enquire.set_sort_by_value(index::slot::kDate, false);  // the earliest survive truncation
    auto max = static_cast<Xapian::doccount>(options.max_thread_messages);
    Xapian::MSet mset = enquire.get_mset(0, max + 1);
    if (mset.empty()) return Err(Code::kNotFound, "no such thread");
    ThreadView view;
    view.thread = index::thread_label(thread);
    view.truncated = mset.size() > max;
    std::vector<internal::ThreadItem> items;
    for (auto it = mset.begin(); it != mset.end() && items.size() < max; ++it) {
      auto item = internal::make_thread_item(it.get_document(), *it);
      if (!item.ok()) return item.error();
      items.push_back(std::move(*item));
    }
    view.nodes = internal::build_thread_tree(std::move(items));
    return view;
  }
};

namespace {

// While alive, the searcher is posted on the reader board as reading the
// revision it last opened, so the writer lets it finish before overwriting
// that revision (index/reader_board.h). Should the writer commit and look at
// the board between that open and this post, the search is unprotected and
// may meet DatabaseModifiedError; its retry reopens and is posted first.
class ReadMark {
 public:
  template <typename Impl>
  explicit ReadMark(Impl& impl) : slot_(impl.slot.get()), marks_(impl.marks) {
    if (++marks_ == 1 && slot_) slot_->reading(impl.opened_ns);
  }
  ~ReadMark() {
    if (--marks_ == 0 && slot_) slot_->idle();
  }
  ReadMark(const ReadMark&) = delete;
  ReadMark& operator=(const ReadMark&) = delete;

 private:
  index::ReaderSlot* slot_;
  int& marks_;
};

}  // namespace

Searcher::Searcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Searcher::~Searcher() = default;

Result<std::unique_ptr<Searcher>> Searcher::open(const index::Home& home,
                                                 const index::SearchSettings& settings,
                                                 const SearcherOptions& options) {
  auto made = internal::xapian_guard([&]() -> Result<std::unique_ptr<Impl>> {
    return std::make_unique<Impl>(home, settings, options);
  });
  if (!made.ok()) return made.error();
  std::unique_ptr<Impl> impl = std::move(made.value());
  auto gen = home.current_generation();
  if (!gen.ok()) return gen.error();
  FOLIO_TRY(impl->open_generation(*gen));
  return std::unique_ptr<Searcher>(new Searcher(std::move(impl)));
}

Status Searcher::refresh() { return impl_->refresh(); }

std::uint64_t Searcher::generation() const { return impl_->generation; }

Result<Xapian::Query> Searcher::Impl::parse(const std::string& text, const AccessScope& scope) {
  auto query = parser.parse(text, scope, db);
  if (query.ok() || query.error().code != model::Code::kBusy) return query;
  FOLIO_TRY(refresh());
  return parser.parse(text, scope, db);
}

Result<SearchPage> Searcher::search(const SearchRequest& request, const AccessScope& scope) {
  FOLIO_TRY(impl_->validate(request));
  ReadMark mark(*impl_);
  auto query = impl_->parse(request.query, scope);
  if (!query.ok()) return query.error();
  std::vector<std::string> lists = lists_for(request, scope);
  if (lists.empty()) {
    SearchPage empty{0, true, request.offset, request.limit, {}, {}, {}};
    if (request.facets) empty.facets = Facets{{}, {}, true};
    return empty;
  }
  auto page = impl_->guarded([&] { return impl_->run_search(*query, lists, request, scope); });
  if (!page.ok() || !request.suggest) return page;
  auto suggestion = impl_->guarded([&] { return impl_->run_suggest(request, scope, lists, page->total); });
  if (!suggestion.ok()) return suggestion.error();
  page->suggestion = std::move(*suggestion);
  return page;
}

Result<std::uint64_t> Searcher::count(const SearchRequest& request, const AccessScope& scope) {
  ReadMark mark(*impl_);
  auto query = impl_->parse(request.query, scope);
  if (!query.ok()) return query.error();
  std::vector<std::string> lists = lists_for(request, scope);
  if (lists.empty()) return std::uint64_t{0};
  return impl_->guarded([&] { return impl_->run_count(impl_->filter.apply(*query, lists), request); });
}

Result<MessageView> Searcher::message(std::string_view message_id, const AccessScope& scope) {
  if (message_id.empty() || scope.empty()) return no_such_message();
  std::string id(message_id);
  ReadMark mark(*impl_);
  return impl_->guarded([&] { return impl_->run_message(id, scope); });
}

Result<ThreadView> Searcher::thread(std::string_view message_id, const AccessScope& scope) {
  auto view = message(message_id, scope);
  if (!view.ok()) return view.error();
  return thread_by_label(view->thread, scope);
}

Result<ThreadView> Searcher::thread_by_label(std::string_view label, const AccessScope& scope) {
  std::uint64_t thread = 0;
  if (!index::parse_thread_label(label, thread)) {
    return Err(Code::kInvalidArgument,
               "not a thread id (16 hex digits): \"" + std::string(label) + "\"");
  }
  if (scope.empty()) return Err(Code::kNotFound, "no such thread");
  ReadMark mark(*impl_);
  return impl_->guarded([&] { return impl_->run_thread(thread, scope); });
}

}  // namespace folio::query
