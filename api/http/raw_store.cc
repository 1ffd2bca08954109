// raw_store.cc: the read-only store, reopened when it lags behind the index.
#include "api/http/raw_store.h"

namespace folio::api::http {

model::Result<std::shared_ptr<index::MessageStore>> RawStore::store(bool reopen) {
  std::lock_guard<std::mutex> lock(mu_);
  if (store_ && !reopen) return store_;
  auto opened = index::MessageStore::open(dir_, index::StoreMode::kReadOnly);
  if (!opened.ok()) return opened.error();
  store_ = std::shared_ptr<index::MessageStore>(std::move(opened.value()));
  return store_;
}

model::Result<std::string> RawStore::raw(index::DocId docid) {
  auto s = store(false);
  if (!s.ok()) return s.error();
  auto bytes = s.value()->raw(docid);
  if (bytes.ok() || bytes.error().code != model::Code::kNotFound) return bytes;
  s = store(true);
  if (!s.ok()) return s.error();
  return s.value()->raw(docid);
}

}  // namespace folio::api::http
