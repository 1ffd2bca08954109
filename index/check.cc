// check.cc: store/index consistency, document by document.
#include "index/check.h"

#include <set>

#include "index/generation.h"
#include "index/message_store.h"
#include "index/schema.h"
#include "index/xapian_writer.h"

namespace folio::index {

namespace {

void problem(CheckReport& r, const std::string& line) {
  ++r.problem_count;
  if (r.problems.size() < kMaxProblems) r.problems.push_back(line);
}

// Compares one stored message with its document; returns false when it must be rebuilt.
bool document_matches(const Xapian::Database& db, const StoredMeta& m, CheckReport& r) {
  const std::string who = "message " + std::to_string(m.docid) + " <" + m.message_id + ">";
  Xapian::Document doc;
  try {
    doc = db.get_document(m.docid);
  } catch (const Xapian::DocNotFoundError&) {
    problem(r, who + ": not in the index");
    return false;
  }
  std::set<std::string> want{message_id_term(m.message_id), thread_term(m.thread)};
  for (const auto& l : m.lists) want.insert(list_term(l));
  std::set<std::string> have;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    const std::string& term = *t;
    if (term.rfind(prefix::kList, 0) == 0 || term.rfind(prefix::kThread, 0) == 0 ||
        term.rfind(prefix::kMessageId, 0) == 0) {
      have.insert(term);
    }
  }
  if (have != want) {
    problem(r, who + ": list, thread or id terms differ from the store");
    return false;
  }
  if (db.get_termfreq(message_id_term(m.message_id)) == 0) {
    problem(r, who + ": its Message-ID finds nothing");
    return false;
  }
  return true;
}

}  // namespace

model::Result<CheckReport> check_archive(const Home& home, bool writer_running) {
  CheckReport r;
  auto gen = home.current_generation();
  FOLIO_TRY(gen);
  auto store = MessageStore::open(home.store_dir(), StoreMode::kSecondary);
  FOLIO_TRY(store);
  FOLIO_TRY(store.value()->catch_up());
  auto seq = store.value()->counter("seq");
  FOLIO_TRY(seq);
  r.store_seq = seq.value();
  auto gseq = generation_seq(home.generation_dir(gen.value()));
  FOLIO_TRY(gseq);
  r.indexed_seq = gseq.value();
  // Changes the index has not seen yet: expected to differ, replayed by the writer.
  std::set<DocId> pending;
  FOLIO_TRY(store.value()->for_each_change(r.indexed_seq, [&](std::uint64_t, DocId d) {
    pending.insert(d);
    return true;
  }));
  try {
    Xapian::Database db(home.generation_dir(gen.value()).string());
    std::set<DocId> stored;
    FOLIO_TRY(store.value()->for_each_meta([&](const StoredMeta& m) {
      ++r.stored;
      stored.insert(m.docid);
      if (!pending.count(m.docid) && !document_matches(db, m, r)) r.to_rebuild.push_back(m.docid);
      return true;
    }));
    r.indexed = db.get_doccount();
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
      if (!stored.count(*it) && !pending.count(*it)) {
        problem(r, "document " + std::to_string(*it) + ": no stored message (should have been removed)");
        r.orphans.push_back(*it);
      }
    }
  } catch (const Xapian::Error& e) {
    return xapian_error(e, "cannot read the index");
  }
  if (r.indexed_seq > r.store_seq) {
    problem(r, "the index claims store sequence " + std::to_string(r.indexed_seq) +
                   " but the store is at " + std::to_string(r.store_seq));
  } else if (r.indexed_seq < r.store_seq && !writer_running) {
    problem(r, "the index is " + std::to_string(r.store_seq - r.indexed_seq) +
                   " changes behind the store and no writer is running");
  }
  return r;
}

}  // namespace folio::index
