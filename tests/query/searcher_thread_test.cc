// searcher_thread_test.cc: message() and thread(): visibility, variants, hidden parents, cycles.
#include "query/searcher.h"

#include <catch2/catch.hpp>

#include "tests/query/test_archive.h"

namespace folio::query {
namespace {

using folio::testing::mail;
using folio::testing::TestArchive;
using folio::testing::TestMessage;
using folio::testing::utc;

constexpr std::uint64_t kThread = 7;

TestMessage reply(std::string id, std::vector<std::string> lists, int day, std::string parent,
                  std::vector<std::string> references) {
  TestMessage m = mail(std::move(id), std::move(lists), "Re: plan");
  m.body = "reply";
  m.date = utc(2015, 5, day);
  m.in_reply_to = std::move(parent);
  m.references = std::move(references);
  m.thread = kThread;
  return m;
}

// root (pub) <- mid (pro) <- leaf (pub); other (pub) replies to root.
void add_thread(TestArchive& a) {
  TestMessage root = mail("root@x", {"pub"}, "plan");
  root.body = "the plan";
  root.date = utc(2015, 5, 1);
  root.thread = kThread;
  a.add(root);
  a.add(reply("mid@x", {"pro"}, 2, "root@x", {"root@x"}));
  a.add(reply("leaf@x", {"pub"}, 3, "mid@x", {"root@x", "mid@x"}));
  a.add(reply("other@x", {"pub"}, 4, "root@x", {"root@x"}));
}

std::string shape(const ThreadView& view) {
  std::string out;
  for (const auto& n : view.nodes) {
    if (!out.empty()) out += ' ';
    out += n.message_id + "@" + std::to_string(n.depth);
  }
  return out;
}

struct Fixture {
  TestArchive archive;
  std::unique_ptr<Searcher> searcher;
  AccessScope anonymous;
  AccessScope pro;

  explicit Fixture(const SearcherOptions& options = {}) {
    add_thread(archive);
    searcher = archive.searcher({}, options);
    anonymous = AccessScope::for_grants(archive.config(), {});
    pro = AccessScope::for_grants(archive.config(), {"tier:pro"});
  }

  std::string tree(std::string_view id, const AccessScope& scope) {
    auto view = searcher->thread(id, scope);
    if (!view.ok()) return "error: " + view.error().to_string();
    return shape(*view);
  }
};

TEST_CASE("query message: a visible message comes with its visible lists", "[query][message]") {
  Fixture f;
  auto m = f.searcher->message("root@x", f.anonymous);
  REQUIRE(m.ok());
  CHECK(m->docid == 1);
  CHECK(m->data.message_id == "root@x");
  CHECK(m->data.subject == "plan");
  CHECK(m->data.body == "the plan");
  CHECK(m->lists == std::vector<std::string>{"pub"});
  CHECK(m->thread == index::thread_label(kThread));
  CHECK(m->date == utc(2015, 5, 1));
  CHECK(m->variants == 1);
}

TEST_CASE("query message: hidden and missing messages are the same not-found", "[query][message]") {
  Fixture f;
  auto hidden = f.searcher->message("mid@x", f.anonymous);
  auto missing = f.searcher->message("nobody@x", f.anonymous);
  auto empty = f.searcher->message("", f.anonymous);
  for (const auto* r : {&hidden, &missing, &empty}) {
    REQUIRE_FALSE(r->ok());
    CHECK(r->error().code == model::Code::kNotFound);
    CHECK(r->error().message == "no such message");
  }
  CHECK(f.searcher->message("mid@x", f.pro).ok());
  CHECK_FALSE(f.searcher->message("root@x", AccessScope()).ok());
}

TEST_CASE("query message: a cross-post names only the visible lists", "[query][message]") {
  TestArchive a;
  a.add(mail("x@x", {"closed", "pro", "pub"}, "cross"));
  auto s = a.searcher();
  auto m = s->message("x@x", AccessScope::for_grants(a.config(), {}));
  REQUIRE(m.ok());
  CHECK(m->lists == std::vector<std::string>{"pub"});
}

TEST_CASE("query message: variants with one Message-ID give the first and their number",
          "[query][message]") {
  TestArchive a;
  a.add(mail("other@x", {"pub"}, "filler"));
  a.add(mail("dup@x", {"pub"}, "first version"));
  a.add(mail("dup@x", {"closed"}, "hidden version"));
  a.add(mail("dup@x", {"pub"}, "second version"));
  auto s = a.searcher();
  auto m = s->message("dup@x", AccessScope::for_grants(a.config(), {}));
  REQUIRE(m.ok());
  CHECK(m->docid == 2);
  CHECK(m->data.subject == "first version");
  CHECK(m->variants == 2);
}

TEST_CASE("query message: overlong Message-IDs are found through their hashed term",
          "[query][message]") {
  TestArchive a;
  std::string id = std::string(400, 'l') + "@example.org";
  a.add(mail(id, {"pub"}, "long id"));
  auto s = a.searcher();
  auto scope = AccessScope::for_lists({"pub"});
  auto m = s->message(id, scope);
  REQUIRE(m.ok());
  CHECK(m->data.message_id == id);
  SearchRequest r;
  r.query = "id:" + id;
  auto n = s->count(r, scope);
  REQUIRE(n.ok());
  CHECK(*n == 1);
}

TEST_CASE("query thread: a hidden middle message is absent and its reply moves up",
          "[query][thread]") {
  Fixture f;
  CHECK(f.tree("leaf@x", f.anonymous) == "root@x@0 leaf@x@1 other@x@1");
  CHECK(f.tree("root@x", f.pro) == "root@x@0 mid@x@1 leaf@x@2 other@x@1");
}

TEST_CASE("query thread: hidden and missing messages have no thread", "[query][thread]") {
  Fixture f;
  CHECK(f.tree("mid@x", f.anonymous) == "error: not found: no such message");
  CHECK(f.tree("nobody@x", f.anonymous) == "error: not found: no such message");
}

TEST_CASE("query thread: nodes carry what a thread page shows", "[query][thread]") {
  Fixture f;
  auto view = f.searcher->thread("other@x", f.anonymous);
  REQUIRE(view.ok());
  CHECK(view->thread == index::thread_label(kThread));
  CHECK_FALSE(view->truncated);
  REQUIRE(view->nodes.size() == 3);
  const ThreadNode& last = view->nodes[2];
  CHECK(last.message_id == "other@x");
  CHECK(last.docid == 4);
  CHECK(last.subject == "Re: plan");
  CHECK(last.from.addr == "ann@example.org");
  CHECK(last.date == utc(2015, 5, 4));
}

TEST_CASE("query thread: lookup by label checks the label and the scope", "[query][thread]") {
  Fixture f;
  auto view = f.searcher->thread_by_label(index::thread_label(kThread), f.anonymous);
  REQUIRE(view.ok());
  CHECK(shape(*view) == "root@x@0 leaf@x@1 other@x@1");
  auto bad = f.searcher->thread_by_label("not-a-label", f.anonymous);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == model::Code::kInvalidArgument);
  auto unknown = f.searcher->thread_by_label(index::thread_label(12345), f.anonymous);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == model::Code::kNotFound);
  CHECK(unknown.error().message == "no such thread");
}

TEST_CASE("query thread: a thread of only hidden messages is not found", "[query][thread]") {
  TestArchive a;
  TestMessage m = mail("secret@x", {"pro"}, "secret");
  m.thread = 99;
  a.add(m);
  auto s = a.searcher();
  auto view = s->thread_by_label(index::thread_label(99), AccessScope::for_grants(a.config(), {}));
  REQUIRE_FALSE(view.ok());
  CHECK(view.error().message == "no such thread");
}

TEST_CASE("query thread: a reference cycle does not loop", "[query][thread]") {
  TestArchive a;
  TestMessage x = mail("c1@x", {"pub"}, "cycle");
  x.thread = 5;
  x.date = utc(2015, 1, 1);
  x.in_reply_to = "c2@x";
  x.references = {"c3@x", "c2@x"};
  a.add(x);
  x.id = "c2@x";
  x.date = utc(2015, 1, 2);
  x.in_reply_to = "c3@x";
  x.references = {"c1@x", "c3@x"};
  a.add(x);
  x.id = "c3@x";
  x.date = utc(2015, 1, 3);
  x.in_reply_to = "c1@x";
  x.references = {"c2@x", "c1@x"};
  a.add(x);
  auto s = a.searcher();
  auto view = s->thread("c2@x", AccessScope::for_lists({"pub"}));
  REQUIRE(view.ok());
  CHECK(shape(*view) == "c1@x@0 c3@x@1 c2@x@2");
}

TEST_CASE("query thread: size is bounded, at the bound and one over", "[query][thread]") {
  SearcherOptions options;
  options.max_thread_messages = 3;
  TestArchive a;
  for (int day = 1; day <= 4; ++day) {
    TestMessage m = mail("m" + std::to_string(day) + "@x", {"pub"}, "long");
    m.thread = 3;
    m.date = utc(2015, 2, day);
    if (day > 1) m.in_reply_to = "m" + std::to_string(day - 1) + "@x";
    a.add(m);
    if (day < 3) continue;
    auto view = a.searcher({}, options)->thread("m1@x", AccessScope::for_lists({"pub"}));
    REQUIRE(view.ok());
    CHECK(view->nodes.size() == 3);
    CHECK(view->truncated == (day == 4));
    CHECK(shape(*view) == "m1@x@0 m2@x@1 m3@x@2");
  }
}

}  // namespace
}  // namespace folio::query
