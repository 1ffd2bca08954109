// xapian_writer.cc: WritableDatabase wrapper with store-sequence bookkeeping.
#include "index/xapian_writer.h"

#include <string>

namespace folio::index {

using model::Code;
using model::Err;
using model::Result;
using model::Status;

model::Error xapian_error(const Xapian::Error& e, const std::string& what) {
  Code code = Code::kInternal;
  const std::string type = e.get_type();
  if (type == "DatabaseLockError") code = Code::kBusy;
  if (type == "DatabaseCorruptError") code = Code::kCorruption;
  if (type == "DatabaseOpeningError" || type == "DatabaseError") code = Code::kIOError;
  if (type == "DatabaseNotFoundError") code = Code::kNotFound;
  if (type == "QueryParserError" || type == "InvalidArgumentError") code = Code::kInvalidArgument;
  return Err(code, what + ": " + type + ": " + e.get_msg());
}

struct XapianWriter::Impl {
  Xapian::WritableDatabase db;
  std::uint64_t seq = 0;
};

XapianWriter::XapianWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XapianWriter::~XapianWriter() {
  try {
    impl_->db.close();
  } catch (const Xapian::Error&) {
    // Uncommitted changes are dropped; the store's change log replays them.
  }
}

Result<std::unique_ptr<XapianWriter>> XapianWriter::open(const std::filesystem::path& dir,
                                                         Durability durability) {
  int flags = Xapian::DB_CREATE_OR_OPEN;
  if (durability == Durability::kNoSync) flags |= Xapian::DB_NO_SYNC;
  try {
    auto impl = std::make_unique<Impl>();
    impl->db = Xapian::WritableDatabase(dir.string(), flags);
    std::string seq = impl->db.get_metadata(kIndexedSeqKey);
    impl->seq = seq.empty() ? 0 : std::stoull(seq);
    return std::unique_ptr<XapianWriter>(new XapianWriter(std::move(impl)));
  } catch (const Xapian::Error& e) {
    return xapian_error(e, "cannot open the index at " + dir.string());
  } catch (const std::exception& e) {
    return Err(Code::kCorruption, "index at " + dir.string() + ": bad sequence: " + e.what());
  }
}

Status XapianWriter::put(DocId docid, const Xapian::Document& doc) {
  try {
    impl_->db.replace_document(docid, doc);
    return {};
  } catch (const Xapian::Error& e) {
    return xapian_error(e, "index write of message " + std::to_string(docid));
  }
}

Result<std::optional<Xapian::Document>> XapianWriter::get(DocId docid) {
  try {
    return std::optional<Xapian::Document>(impl_->db.get_document(docid));
  } catch (const Xapian::DocNotFoundError&) {
    return std::optional<Xapian::Document>{};
  } catch (const Xapian::Error& e) {
    return xapian_error(e, "index read of message " + std::to_string(docid));
  }
}

Status XapianWriter::remove(DocId docid) {
  try {
    impl_->db.delete_document(docid);
    return {};
  } catch (const Xapian::DocNotFoundError&) {
    return {};
  } catch (const Xapian::Error& e) {
    return xapian_error(e, "index delete of message " + std::to_string(docid));
  }
}

Status XapianWriter::commit(std::uint64_t store_seq) {
  try {
    impl_->db.set_metadata(kIndexedSeqKey, std::to_string(store_seq));
    impl_->db.commit();
    impl_->seq = store_seq;
    return {};
  } catch (const Xapian::Error& e) {
    return xapian_error(e, "index commit");
  }
}

std::uint64_t XapianWriter::indexed_seq() const { return impl_->seq; }

std::uint64_t XapianWriter::doc_count() const {
  try {
    return impl_->db.get_doccount();
  } catch (const Xapian::Error&) {
    return 0;
  }
}

}  // namespace folio::index
