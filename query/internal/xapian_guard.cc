// xapian_guard.cc: Xapian exception -> model::Error, one table.
#include "query/internal/xapian_guard.h"

#include <string_view>

namespace folio::query::internal {

using model::Code;

namespace {

// Xapian 1.4's Error is not polymorphic, so classes are told apart by name.
struct Mapping {
  std::string_view type;  // Error::get_type(); a trailing '*' matches a prefix
  Code code;
};

constexpr Mapping kMappings[] = {
    {"QueryParserError", Code::kInvalidArgument},
    {"DatabaseNotFoundError", Code::kNotFound},
    {"DatabaseCorruptError", Code::kCorruption},
    {"DatabaseModifiedError", Code::kBusy},
    {"Database*", Code::kIOError},  // opening, version, lock, closed, I/O
    {"Network*", Code::kIOError},
};

Code code_of(const Xapian::Error& e) {
  std::string_view type = e.get_type();
  for (const Mapping& m : kMappings) {
    if (m.type.back() == '*') {
      if (type.substr(0, m.type.size() - 1) == m.type.substr(0, m.type.size() - 1)) return m.code;
    } else if (type == m.type) {
      return m.code;
    }
  }
  return Code::kInternal;
}

}  // namespace

model::Error translate_xapian_error(const Xapian::Error& e) {
  Code code = code_of(e);
  if (code == Code::kInvalidArgument) return model::Err(code, e.get_msg());
  std::string message = "xapian " + std::string(e.get_type()) + ": " + e.get_msg();
  if (!e.get_context().empty()) message += " (" + e.get_context() + ")";
  if (code == Code::kBusy) message += "; the index changed twice during the request, try again";
  return model::Err(code, message);
}

}  // namespace folio::query::internal
