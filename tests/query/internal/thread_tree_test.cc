// thread_tree_test.cc: parent links, missing parents, cycles and display order of thread trees.
#include "query/internal/thread_tree.h"

#include <catch2/catch.hpp>

namespace folio::query::internal {
namespace {

ThreadItem item(std::string id, std::int64_t date, std::string in_reply_to = "",
                std::vector<std::string> references = {}) {
  ThreadItem i;
  i.docid = static_cast<index::DocId>(date);
  i.message_id = std::move(id);
  i.date = date;
  i.in_reply_to = std::move(in_reply_to);
  i.references = std::move(references);
  return i;
}

// "id@depth" per node, in order: the string oracle for trees.
std::string shape(const std::vector<ThreadNode>& nodes) {
  std::string out;
  for (const auto& n : nodes) {
    if (!out.empty()) out += ' ';
    out += n.message_id + "@" + std::to_string(n.depth);
  }
  return out;
}

std::string tree(std::vector<ThreadItem> items) {
  return shape(build_thread_tree(std::move(items)));
}

TEST_CASE("query thread tree: replies hang below their In-Reply-To, by date", "[query][thread]") {
  CHECK(tree({item("c", 3, "b", {"a", "b"}), item("a", 1), item("d", 4, "a", {"a"}),
              item("b", 2, "a", {"a"})}) == "a@0 b@1 c@2 d@1");
}

TEST_CASE("query thread tree: without In-Reply-To the last present reference is the parent",
          "[query][thread]") {
  CHECK(tree({item("a", 1), item("b", 2, "", {"a"}), item("c", 3, "", {"a", "b"})}) ==
        "a@0 b@1 c@2");
  CHECK(tree({item("a", 1), item("b", 2, "elsewhere", {"a"})}) == "a@0 b@1");
}

TEST_CASE("query thread tree: a missing middle message leaves its reply on the nearest ancestor",
          "[query][thread]") {
  // b is hidden or not archived; c replied to b.
  CHECK(tree({item("a", 1), item("c", 3, "b", {"a", "b"}), item("d", 4, "c", {"a", "b", "c"})}) ==
        "a@0 c@1 d@2");
  // With no ancestor present at all, the reply is a root.
  CHECK(tree({item("x", 2, "gone", {"gone"}), item("y", 1)}) == "y@0 x@0");
}

TEST_CASE("query thread tree: reference cycles are broken at their earliest message",
          "[query][thread]") {
  CHECK(tree({item("a", 1, "b"), item("b", 2, "a")}) == "a@0 b@1");
  CHECK(tree({item("b", 2, "a"), item("a", 1, "b")}) == "a@0 b@1");
  CHECK(tree({item("a", 1, "c"), item("b", 2, "a"), item("c", 3, "b")}) == "a@0 b@1 c@2");
  CHECK(tree({item("a", 1, "a", {"a"})}) == "a@0");
}

TEST_CASE("query thread tree: a cyclic In-Reply-To falls back to another reference",
          "[query][thread]") {
  // b claims to reply to c, but c replies to b; b's references still name a.
  CHECK(tree({item("a", 1), item("b", 2, "c", {"a", "c"}), item("c", 3, "b", {"a", "b"})}) ==
        "a@0 b@1 c@2");
}

TEST_CASE("query thread tree: roots and siblings sort by date, then Message-ID",
          "[query][thread]") {
  CHECK(tree({item("r2", 5), item("r1", 1), item("z", 2, "r1"), item("m", 2, "r1"),
              item("k", 3, "r1")}) == "r1@0 m@1 z@1 k@1 r2@0");
}

TEST_CASE("query thread tree: variants with one Message-ID all appear", "[query][thread]") {
  auto nodes = build_thread_tree({item("a", 1), item("a", 2), item("b", 3, "a")});
  CHECK(shape(nodes) == "a@0 b@1 a@0");
  CHECK(nodes[0].docid == 1);
}

TEST_CASE("query thread tree: a very deep thread needs no recursion", "[query][thread]") {
  std::vector<ThreadItem> items;
  for (int i = 0; i < 10000; ++i) {
    items.push_back(item("m" + std::to_string(i), i + 1, i ? "m" + std::to_string(i - 1) : ""));
  }
  auto nodes = build_thread_tree(std::move(items));
  REQUIRE(nodes.size() == 10000);
  CHECK(nodes.back().depth == 9999);
  CHECK(nodes.back().message_id == "m9999");
}

}  // namespace
}  // namespace folio::query::internal
