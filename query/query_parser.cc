// query_parser.cc: Xapian::QueryParser set up from the schema, behind our normalisation and limits.
#include "query/query_parser.h"

#ifndef XAPIAN_MOVE_SEMANTICS
#define XAPIAN_MOVE_SEMANTICS
#endif
#include <xapian.h>

#include "index/schema.h"
#include "query/internal/field_processors.h"
#include "query/internal/query_text.h"
#include "query/internal/stem_forms.h"
#include "query/internal/xapian_guard.h"

namespace folio::query {

using model::Code;
using model::Err;
using model::Result;

namespace {

constexpr unsigned kParseFlags =
    Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_PHRASE |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_CJK_NGRAM;  // no FLAG_PURE_NOT: see prepare_query_text

// The slot a range field's values live in. The schema's Field has no slot
// yet, and date: is the only range field.
Xapian::valueno range_slot(const index::Field&) { return index::slot::kDate; }

using internal::ProcessorContext;

// Each field gets the processor its kind and prefix call for.
void add_boolean_field(Xapian::QueryParser& qp, const index::Field& f, ProcessorContext* ctx) {
  std::string name(f.name);
  std::string prefix(f.prefix);
  if (f.prefix == index::prefix::kList) {
    qp.add_boolean_prefix(name, (new internal::ListProcessor(prefix, ctx))->release());
  } else if (f.prefix == index::prefix::kMessageId) {
    qp.add_boolean_prefix(name, (new internal::MessageIdProcessor)->release());
  } else if (f.prefix == index::prefix::kThread) {
    qp.add_boolean_prefix(name, (new internal::ThreadProcessor(ctx))->release());
  } else if (f.prefix == index::prefix::kHas) {
    qp.add_boolean_prefix(name, (new internal::HasProcessor(prefix, ctx))->release());
  } else {
    qp.add_boolean_prefix(name, prefix);
  }
}

void add_range_field(Xapian::QueryParser& qp, const index::Field& f, ProcessorContext* ctx) {
  std::string name(f.name);
  Xapian::valueno slot = range_slot(f);
  qp.add_rangeprocessor((new internal::DateRangeProcessor(name, slot, ctx))->release());
  // A single value (date:2015) is not a range; a boolean field takes it.
  qp.add_boolean_prefix(name, (new internal::DatePeriodProcessor(slot, ctx))->release());
}

// Wildcards in one query: each may expand to max_wildcard_expansion terms,
// so their number is bounded too.
constexpr std::size_t kMaxWildcards = 16;

std::size_t count_wildcards(const Xapian::Query& q) {
  if (q.get_type() == Xapian::Query::OP_WILDCARD) return 1;
  std::size_t n = 0;
  for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) n += count_wildcards(q.get_subquery(i));
  return n;
}

void configure(Xapian::QueryParser& qp, const QueryLimits& limits, ProcessorContext* ctx) {
  qp.set_stemmer(Xapian::Stem("english"));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  // Words without an operator must all match, as in mail search tools and web search.
  qp.set_default_op(Xapian::Query::OP_AND);
  qp.set_max_expansion(static_cast<Xapian::termcount>(limits.max_wildcard_expansion),
                       Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  for (const index::Field& f : index::kFields) {
    switch (f.kind) {
      case index::FieldKind::kText:
        qp.add_prefix(std::string(f.name), std::string(f.prefix));
        break;
      case index::FieldKind::kBoolean:
        add_boolean_field(qp, f, ctx);
        break;
      case index::FieldKind::kRange:
        add_range_field(qp, f, ctx);
        break;
    }
  }
}

bool matches_everything(std::string_view text) {
  std::size_t b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return true;
  std::size_t e = text.find_last_not_of(" \t\r\n");
  return text.substr(b, e + 1 - b) == "*";
}

// Xapian's own syntax messages read "Syntax: <expression> AND <expression>".
model::Error reworded(model::Error e) {
  static constexpr std::string_view kSyntax = "Syntax: ";
  if (e.message.compare(0, kSyntax.size(), kSyntax) == 0) {
    e.message = "query syntax error: expected " + e.message.substr(kSyntax.size());
  }
  return e;
}

}  // namespace

QueryLimits QueryLimits::from(const index::SearchSettings& settings) {
  QueryLimits limits;
  limits.max_bytes = settings.max_query_bytes;
  limits.max_wildcard_expansion = settings.max_wildcard_expansion;
  return limits;
}

struct QueryParser::Impl {
  QueryLimits limits;
  ProcessorContext context;  // shared with qp's processors, so it outlives them
  Xapian::QueryParser qp;
  internal::SynonymScratch stems;

  Result<Xapian::Query> parse(std::string_view text, const Xapian::Database* vocabulary) {
    internal::TextLimits text_limits{limits.max_bytes, limits.max_depth};
    auto prepared = internal::prepare_query_text(text, text_limits);
    if (!prepared.ok()) return prepared.error();
    if (matches_everything(*prepared)) return Xapian::Query(Xapian::Query::MatchAll);
    auto q = parse_prepared(*prepared);
    if (!q.ok()) return reworded(q.error());
    if (vocabulary == nullptr || !internal::has_stemmed_terms(*q)) return q;
    return with_stem_forms(*prepared, *q, *vocabulary);
  }

  // `text` parsed again with each stemmed term joined by its indexed forms
  // (see stem_forms.h). The first parse passed every check; this one only
  // adds synonyms. kBusy when the vocabulary changed under the scan.
  Result<Xapian::Query> with_stem_forms(const std::string& text, const Xapian::Query& plain,
                                        const Xapian::Database& vocabulary) {
    auto expanded = internal::xapian_guard([&]() -> Result<Xapian::Query> {
      qp.set_database(stems.fill(plain, vocabulary));
      context.problem.clear();
      Xapian::Query q = qp.parse_query(text, kParseFlags | Xapian::QueryParser::FLAG_AUTO_SYNONYMS);
      qp.set_database(Xapian::Database());
      return q;
    });
    if (!expanded.ok()) qp.set_database(Xapian::Database());
    return expanded;
  }

  Result<Xapian::Query> parse_prepared(const std::string& text) {
    return internal::xapian_guard([&]() -> Result<Xapian::Query> {
      context.problem.clear();
      Xapian::Query q = qp.parse_query(text, kParseFlags);
      if (!context.problem.empty()) return Err(Code::kInvalidArgument, context.problem);
      if (q.get_length() > limits.max_terms) {
        return Err(Code::kInvalidArgument, "the query has " + std::to_string(q.get_length()) +
                                               " terms; at most " +
                                               std::to_string(limits.max_terms) + " are allowed");
      }
      if (std::size_t n = count_wildcards(q); n > kMaxWildcards) {
        return Err(Code::kInvalidArgument, "the query has " + std::to_string(n) +
                                               " wildcards; at most " + std::to_string(kMaxWildcards) +
                                               " are allowed");
      }
      // An empty parse (only punctuation, say) must not become "everything".
      if (q.empty()) return Xapian::Query(Xapian::Query::MatchNothing);
      return q;
    });
  }
};

QueryParser::QueryParser(const QueryLimits& limits) : impl_(std::make_unique<Impl>()) {
  impl_->limits = limits;
  configure(impl_->qp, limits, &impl_->context);
}

QueryParser::~QueryParser() = default;

const QueryLimits& QueryParser::limits() const { return impl_->limits; }

Result<Xapian::Query> QueryParser::parse(std::string_view text, const AccessScope& scope) {
  impl_->context.scope = &scope;
  auto q = impl_->parse(text, nullptr);
  impl_->context.scope = nullptr;
  return q;
}

Result<Xapian::Query> QueryParser::parse(std::string_view text, const AccessScope& scope,
                                         const Xapian::Database& vocabulary) {
  impl_->context.scope = &scope;
  impl_->context.date_terms = internal::index_has_date_terms(vocabulary);
  auto q = impl_->parse(text, &vocabulary);
  impl_->context.scope = nullptr;
  impl_->context.date_terms = false;
  return q;
}

Result<Xapian::Query> QueryParser::parse(std::string_view text) {
  impl_->context.scope = nullptr;
  return impl_->parse(text, nullptr);
}

Result<std::string> QueryParser::explain(std::string_view text) {
  auto q = parse(text);
  if (!q.ok()) return q.error();
  return describe(*q);
}

std::string describe(const Xapian::Query& query) { return query.get_description(); }

}  // namespace folio::query
