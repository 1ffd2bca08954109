// access_scope.h: AccessScope, the set of lists one reader may see (a value type).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "index/config.h"

namespace folio::query {

// The sorted, duplicate-free set of list names a reader may see. Every
// search, count, message and thread lookup is filtered by one. The default
// scope sees nothing. Immutable after construction; safe to share between
// threads.
class AccessScope {
 public:
  AccessScope() = default;

  // The lists of `config` that a reader holding `grants` may see. The grant
  // "public" is always added (anonymous readers hold only it). A list is
  // visible when its access grants and the reader's grants share a grant;
  // a list with no access grants is hidden from everyone (fail closed).
  // Grants are compared exactly. Lists are resolved now: a later config
  // change needs a new scope (the next request builds one).
  static AccessScope for_grants(const index::Config& config, std::vector<std::string> grants);

  // Exactly `lists` (sorted, duplicates dropped). For trusted callers such
  // as operator tools and tests; readers go through for_grants.
  static AccessScope for_lists(std::vector<std::string> lists);

  // A canonical string naming the set, for cache keys: equal keys mean equal
  // scopes. List names are joined by ',' (a ',' or '\' in a name is escaped).
  std::string key() const;

  bool visible(std::string_view list) const;
  const std::vector<std::string>& lists() const { return lists_; }
  bool empty() const { return lists_.empty(); }

  bool operator==(const AccessScope&) const = default;

 private:
  explicit AccessScope(std::vector<std::string> lists);

  std::vector<std::string> lists_;
};

}  // namespace folio::query
