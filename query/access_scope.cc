// access_scope.cc: which lists a reader's grants open, fail closed.
#include "query/access_scope.h"

#include <algorithm>

namespace folio::query {

namespace {

constexpr std::string_view kPublicGrant = "public";

bool shares_grant(const std::vector<std::string>& list_access,
                  const std::vector<std::string>& sorted_grants) {
  for (const auto& g : list_access) {
    if (std::binary_search(sorted_grants.begin(), sorted_grants.end(), g)) return true;
  }
  return false;
}

}  // namespace

AccessScope::AccessScope(std::vector<std::string> lists) : lists_(std::move(lists)) {
  std::erase(lists_, std::string());  // no list has an empty name
  std::sort(lists_.begin(), lists_.end());
  lists_.erase(std::unique(lists_.begin(), lists_.end()), lists_.end());
}

AccessScope AccessScope::for_grants(const index::Config& config, std::vector<std::string> grants) {
  grants.emplace_back(kPublicGrant);
  std::sort(grants.begin(), grants.end());
  std::vector<std::string> lists;
  for (const auto& list : config.lists) {
    // An empty access set shares nothing with anyone: hidden (fail closed).
    if (shares_grant(list.access, grants)) lists.push_back(list.name);
  }
  return AccessScope(std::move(lists));
}

AccessScope AccessScope::for_lists(std::vector<std::string> lists) {
  return AccessScope(std::move(lists));
}

std::string AccessScope::key() const {
  std::string key;
  for (std::size_t i = 0; i < lists_.size(); ++i) {
    if (i > 0) key += ',';
    for (char c : lists_[i]) {
      if (c == ',' || c == '\\') key += '\\';
      key += c;
    }
  }
  return key;
}

bool AccessScope::visible(std::string_view list) const {
  return std::binary_search(lists_.begin(), lists_.end(), list);
}

}  // namespace folio::query
