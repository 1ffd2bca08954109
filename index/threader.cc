// threader.cc: union of connected id sets stored in the message store.
#include "index/threader.h"

#include <algorithm>
#include <map>
#include <set>

namespace folio::index {

using model::Result;

namespace {

struct Component {
  ThreadId id = 0;
  std::uint64_t size = 0;
};

}  // namespace

Result<ThreadPlacement> Threader::place(const std::string& id, const std::vector<std::string>& parents,
                                        ThreadId& next_thread, StoreBatch& batch) {
  std::set<std::string> members(parents.begin(), parents.end());
  members.insert(id);
  members.erase(std::string());

  std::map<ThreadId, Component> found;
  std::vector<std::string> fresh;
  for (const auto& m : members) {
    auto t = store_.thread_of(m);
    FOLIO_TRY(t);
    if (!t.value()) {
      fresh.push_back(m);
      continue;
    }
    if (!found.count(*t.value())) {
      auto size = store_.thread_size(*t.value());
      FOLIO_TRY(size);
      found[*t.value()] = Component{*t.value(), size.value()};
    }
  }

  ThreadPlacement placement;
  std::uint64_t size = 0;
  if (found.empty()) {
    placement.thread = ++next_thread;
  } else {
    // The largest set absorbs the others (ties: the oldest id), so each
    // member moves O(log n) times over the life of the archive.
    auto largest = std::max_element(found.begin(), found.end(), [](const auto& a, const auto& b) {
      if (a.second.size != b.second.size) return a.second.size < b.second.size;
      return a.first > b.first;
    });
    placement.thread = largest->first;
    size = largest->second.size;
  }
  for (const auto& [tid, comp] : found) {
    if (tid == placement.thread) continue;
    auto old_members = store_.thread_members(tid);
    FOLIO_TRY(old_members);
    for (const auto& m : old_members.value()) {
      batch.set_thread_of(m, placement.thread);
      batch.remove_thread_member(tid, m);
      batch.add_thread_member(placement.thread, m);
      placement.moved.push_back(m);
    }
    batch.set_thread_size(tid, 0);
    batch.set_thread_alias(tid, placement.thread);
    size += old_members->size();
  }
  for (const auto& m : fresh) {
    batch.set_thread_of(m, placement.thread);
    batch.add_thread_member(placement.thread, m);
  }
  size += fresh.size();
  batch.set_thread_size(placement.thread, size);
  return placement;
}

Result<ThreadId> current_thread(const MessageStore& store, ThreadId thread) {
  for (std::size_t hop = 0; hop < kMaxThreadAliasHops; ++hop) {
    auto next = store.thread_alias(thread);
    FOLIO_TRY(next);
    if (!next.value() || *next.value() == thread) return thread;
    thread = *next.value();
  }
  return thread;
}

}  // namespace folio::index
