// thread_tree.cc: parent links by In-Reply-To / References, cycle breaking, depth-first order.
#include "query/internal/thread_tree.h"

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace folio::query::internal {

namespace {

constexpr std::ptrdiff_t kNoParent = -1;

bool display_before(const ThreadItem& a, const ThreadItem& b) {
  return std::tie(a.date, a.message_id, a.docid) < std::tie(b.date, b.message_id, b.docid);
}

// Union-find whose representative is always the root of the item's tree,
// so "is p below k?" is find(p) == k while k is still a root.
class Roots {
 public:
  explicit Roots(std::size_t n) : up_(n) { std::iota(up_.begin(), up_.end(), std::size_t{0}); }

  std::size_t find(std::size_t i) {
    while (up_[i] != i) {
      up_[i] = up_[up_[i]];
      i = up_[i];
    }
    return i;
  }
  // REQUIRES: `root` is a root; `new_root` is the root of the tree it joins.
  void attach(std::size_t root, std::size_t new_root) { up_[root] = new_root; }

 private:
  std::vector<std::size_t> up_;
};

class Linker {
 public:
  explicit Linker(const std::vector<ThreadItem>& items) : items_(items), roots_(items.size()) {
    for (std::size_t i = 0; i < items.size(); ++i) by_id_.emplace(items[i].message_id, i);
  }

  // Parent index per item, or kNoParent. Latest first, so that the link
  // dropped from a cycle is the one from its earliest message.
  std::vector<std::ptrdiff_t> link() {
    std::vector<std::ptrdiff_t> parent(items_.size(), kNoParent);
    for (std::size_t k = items_.size(); k-- > 0;) {
      parent[k] = find_parent(k);
      if (parent[k] != kNoParent) {
        roots_.attach(k, roots_.find(static_cast<std::size_t>(parent[k])));
      }
    }
    return parent;
  }

 private:
  std::ptrdiff_t find_parent(std::size_t k) {
    const ThreadItem& item = items_[k];
    if (auto p = candidate(k, item.in_reply_to); p != kNoParent) return p;
    for (auto r = item.references.rbegin(); r != item.references.rend(); ++r) {
      if (auto p = candidate(k, *r); p != kNoParent) return p;
    }
    return kNoParent;
  }

  // The item with `id` if it may be k's parent: present, not k's own id,
  // and not below k (which would close a cycle).
  std::ptrdiff_t candidate(std::size_t k, const std::string& id) {
    if (id.empty() || id == items_[k].message_id) return kNoParent;
    auto it = by_id_.find(id);
    if (it == by_id_.end() || roots_.find(it->second) == k) return kNoParent;
    return static_cast<std::ptrdiff_t>(it->second);
  }

  const std::vector<ThreadItem>& items_;
  std::unordered_map<std::string_view, std::size_t> by_id_;  // first item per id
  Roots roots_;
};

ThreadNode node_of(ThreadItem& item, std::size_t depth) {
  ThreadNode node;
  node.depth = depth;
  node.docid = item.docid;
  node.message_id = std::move(item.message_id);
  node.subject = std::move(item.subject);
  node.from = std::move(item.from);
  node.date = item.date;
  return node;
}

std::vector<ThreadNode> depth_first(std::vector<ThreadItem>& items,
                                    const std::vector<std::ptrdiff_t>& parent) {
  std::vector<std::vector<std::size_t>> children(items.size());
  std::vector<std::size_t> roots;
  for (std::size_t i = 0; i < items.size(); ++i) {
    (parent[i] == kNoParent ? roots : children[static_cast<std::size_t>(parent[i])]).push_back(i);
  }
  std::vector<std::pair<std::size_t, std::size_t>> stack;  // (item, depth)
  for (auto r = roots.rbegin(); r != roots.rend(); ++r) stack.emplace_back(*r, 0);
  std::vector<ThreadNode> nodes;
  nodes.reserve(items.size());
  while (!stack.empty()) {
    auto [i, depth] = stack.back();
    stack.pop_back();
    for (auto c = children[i].rbegin(); c != children[i].rend(); ++c)
      stack.emplace_back(*c, depth + 1);
    nodes.push_back(node_of(items[i], depth));
  }
  return nodes;
}

}  // namespace

std::vector<ThreadNode> build_thread_tree(std::vector<ThreadItem> items) {
  std::sort(items.begin(), items.end(), display_before);
  std::vector<std::ptrdiff_t> parent = Linker(items).link();
  return depth_first(items, parent);
}

}  // namespace folio::query::internal
