// reader_setup.cc: opening the read side for search, show and thread.
#include "api/cli/reader_setup.h"

#include "api/cli/home_access.h"

namespace folio::api::cli {

model::Result<Reader> open_reader(const Args& args) {
  Reader r;
  auto home = existing_home(args);
  FOLIO_TRY(home);
  r.home = home.value();
  auto config = load_home_config(r.home);
  FOLIO_TRY(config);
  r.config = std::move(config.value());
  r.scope = query::AccessScope::for_grants(r.config, split_commas(args.get("as", "public")));
  auto searcher = query::Searcher::open(r.home, r.config.search);
  FOLIO_TRY(searcher);
  r.searcher = std::move(searcher.value());
  return r;
}

}  // namespace folio::api::cli
