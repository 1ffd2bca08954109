// xapian_document.h: model::ParsedMessage + StoredMeta -> Xapian::Document, via the schema.
#pragma once

#ifndef XAPIAN_MOVE_SEMANTICS
#define XAPIAN_MOVE_SEMANTICS
#endif
#include <xapian.h>

#include <memory>

#include "index/config.h"
#include "index/model/message.h"
#include "index/stored_message.h"

namespace folio::index {

struct DocumentOptions {
  QuotedText quoted = QuotedText::kWords;
};

// Builds the content part of documents. Holds a TermGenerator and a stem
// cache, so keep one per thread; not thread-safe.
class DocumentBuilder {
 public:
  explicit DocumentBuilder(DocumentOptions options);
  ~DocumentBuilder();

  // Terms and data from the message's content (text, headers, attachments,
  // Message-ID). Lists, thread and dates come later from apply_meta().
  Xapian::Document build(const model::ParsedMessage& message);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Whether apply_meta must first remove terms an earlier apply_meta added.
enum class MetaMode {
  kFresh,   // a document straight from DocumentBuilder::build
  kUpdate,  // a document read back from the index
};

// Sets the terms and values that come from the store's view of the message:
// list terms, thread term, date and year values, flags. With kUpdate the
// earlier ones are replaced.
void apply_meta(Xapian::Document& doc, const StoredMeta& meta, MetaMode mode);

// The thread id stored in a document's thread slot, 0 if none.
ThreadId document_thread(const Xapian::Document& doc);

}  // namespace folio::index
