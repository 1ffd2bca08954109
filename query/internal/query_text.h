// query_text.h: the query string before Xapian sees it: tokens, normalisation, structural checks.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "index/model/result.h"

namespace folio::query::internal {

// What the scanner recognises in a query string. It follows the lexer of
// Xapian::QueryParser closely enough to decide which bytes may be normalised
// and whether a part of the query only excludes.
enum class TokenKind {
  kTerm,      // a word, possibly with a text-field prefix (from:bob, caf*)
  kPhrase,    // "..." (also a prefixed phrase, from:"Bob Smith")
  kFilter,    // a boolean or range field with its value (list:r-devel, date:2015..)
  kOperator,  // AND OR NOT XOR NEAR ADJ (upper case; NEAR/n, ADJ/n)
  kOpen,      // (
  kClose,     // )
};

struct Token {
  TokenKind kind = TokenKind::kTerm;
  char sign = 0;          // '+', '-' or 0 (love/hate marker in front of the token)
  std::string_view text;  // the token without its sign
};

// Splits `text` into tokens. Never fails: anything unusual is a kTerm.
std::vector<Token> tokenize_query(std::string_view text);

// Bounds checked on the text (the term bound is checked on the parsed query).
struct TextLimits {
  std::size_t max_bytes = 4096;
  std::size_t max_depth = 32;  // parentheses nested deeper than this are refused
};

// Returns `text` ready for Xapian::QueryParser: normalised the same way as
// indexed text (index::normalize_text: NFKC, case folding, accents removed),
// except operator words and the values of boolean fields (list:, id:,
// thread:, has:), which are kept byte for byte; field names are lower-cased.
// kInvalidArgument with a message saying what is wrong when the text is over
// max_bytes, nests parentheses deeper than max_depth, has unbalanced
// parentheses, or has a part that only excludes ("-foo", "NOT foo",
// "foo OR NOT bar"): pure NOT queries are refused rather than letting
// Xapian's lenient fallback silently turn "-foo" into "foo". Each CJK run
// outside a filter value comes back in brackets ("hello (東京) tower"), which
// Xapian 1.4.22 needs to parse it between two words and to fail without
// leaking on other syntax errors.
model::Result<std::string> prepare_query_text(std::string_view text, const TextLimits& limits);

}  // namespace folio::query::internal
