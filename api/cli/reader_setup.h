// reader_setup.h: what the read-side subcommands share: the searcher and the reader's scope.
#pragma once

#include <memory>

#include "api/cli/command_line.h"
#include "index/config.h"
#include "index/home.h"
#include "query/access_scope.h"
#include "query/searcher.h"

namespace folio::api::cli {

struct Reader {
  index::Home home{""};
  index::Config config;
  query::AccessScope scope;  // from --as (public always included)
  std::unique_ptr<query::Searcher> searcher;
};

// Opens the home named by the arguments and a searcher on it, with the
// scope of --as.
model::Result<Reader> open_reader(const Args& args);

}  // namespace folio::api::cli
