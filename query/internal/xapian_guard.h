// xapian_guard.h: the one place in query/ where Xapian exceptions become model::Error.
#pragma once

#ifndef XAPIAN_MOVE_SEMANTICS
#define XAPIAN_MOVE_SEMANTICS
#endif
#include <xapian.h>

#include <exception>
#include <new>
#include <string>
#include <utility>

#include "index/model/result.h"

namespace folio::query::internal {

// Maps a Xapian exception to an Error: QueryParserError -> kInvalidArgument;
// DatabaseNotFoundError -> kNotFound; DatabaseCorruptError -> kCorruption;
// DatabaseModifiedError -> kBusy; other database and network errors ->
// kIOError; anything else (a bug on our side or Xapian's) -> kInternal.
model::Error translate_xapian_error(const Xapian::Error& e);

// How many times xapian_guard reopens and retries after DatabaseModifiedError.
// A reader keeps its revision for one to two of the writer's commits (indexd
// commits every 200 ms while mail arrives), so a search slowed down by a busy
// machine can lose its revision again while it is retried: the soak test
// (bench/soak) saw one retry fail about once in a thousand searches.
inline constexpr int kMaxReopens = 4;

// Runs `f` (returning Result<T> or Status) with no exception escaping.
// When Xapian reports DatabaseModifiedError (the revision being read was
// overwritten by the writer), calls `reopen` (returning Status) and runs
// `f` again, at most kMaxReopens times; a DatabaseModifiedError after the
// last reopen is returned as kBusy.
template <typename F, typename Reopen>
auto xapian_guard(F&& f, Reopen&& reopen) -> decltype(f()) {
  for (int attempt = 0;; ++attempt) {
    try {
      return f();
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt >= kMaxReopens) return translate_xapian_error(e);
      model::Status reopened = reopen();
      if (!reopened.ok()) return reopened.error();
    } catch (const Xapian::Error& e) {
      return translate_xapian_error(e);
    } catch (const std::bad_alloc&) {
      return model::Err(model::Code::kInternal, "out of memory");
    } catch (const std::exception& e) {
      return model::Err(model::Code::kInternal, std::string("unexpected exception: ") + e.what());
    }
  }
}

// As above, for work that needs no reopen (parsing, tests).
template <typename F>
auto xapian_guard(F&& f) -> decltype(f()) {
  return xapian_guard(std::forward<F>(f), [] { return model::Ok(); });
}

}  // namespace folio::query::internal
