// result.cc: names for error codes.
#include "index/model/result.h"

namespace folio::model {

std::string_view code_name(Code code) {
  switch (code) {
    case Code::kInvalidArgument: return "invalid argument";
    case Code::kNotFound: return "not found";
    case Code::kCorruption: return "corruption";
    case Code::kIOError: return "I/O error";
    case Code::kBusy: return "busy";
    case Code::kTooLarge: return "too large";
    case Code::kInternal: return "internal error";
  }
  return "unknown error";
}

std::string Error::to_string() const {
  return std::string(code_name(code)) + ": " + message;
}

}  // namespace folio::model
