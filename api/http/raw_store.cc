// raw_store.cc: the read-only store, reopened when it lags behind the index.
#include "api/http/raw_store.h"

#include "index/threader.h"

namespace folio::api::http {

model::Result<std::shared_ptr<index::MessageStore>> RawStore::store(bool reopen) {
  std::lock_guard<std::mutex> lock(mu_);
  if (store_ && !reopen) return store_;
  auto opened = index::MessageStore::open(dir_, index::StoreMode::kReadOnly);
  if (!opened.ok()) return opened.error();
  store_ = std::shared_ptr<index::MessageStore>(std::move(opened.value()));
  return store_;
}

template <typename T, typename Read>
model::Result<T> RawStore::read_fresh(Read read) {
  auto s = store(false);
  if (!s.ok()) return s.error();
  model::Result<T> got = read(*s.value());
  if (got.ok() || got.error().code != model::Code::kNotFound) return got;
  s = store(true);
  if (!s.ok()) return s.error();
  return read(*s.value());
}

model::Result<std::string> RawStore::raw(index::DocId docid) {
  return read_fresh<std::string>([docid](const index::MessageStore& s) { return s.raw(docid); });
}

model::Result<std::string> RawStore::raw_uncached(index::DocId docid) {
  return read_fresh<std::string>([docid](const index::MessageStore& s) { return s.raw_uncached(docid); });
}

model::Result<index::StoredMeta> RawStore::meta(index::DocId docid) {
  return read_fresh<index::StoredMeta>([docid](const index::MessageStore& s) { return s.meta(docid); });
}

model::Result<index::ThreadId> RawStore::current_thread(index::ThreadId thread,
                                                       const query::IndexVersion& version) {
  auto s = store(false);
  if (!s.ok()) return s.error();
  auto now = index::current_thread(*s.value(), thread);
  if (!now.ok() || now.value() != thread) return now;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (alias_version_ == version) return now;
    alias_version_ = version;
  }
  s = store(true);
  if (!s.ok()) return s.error();
  return index::current_thread(*s.value(), thread);
}

}  // namespace folio::api::http
