// home_access.h: finding the archive home and its config from command-line arguments.
#pragma once

#include "api/cli/command_line.h"
#include "index/config.h"
#include "index/home.h"

namespace folio::api::cli {

// The home named by --home / $FOLIO_HOME / ./folio-data. kNotFound with a
// hint to run `folio init` when there is no archive there.
model::Result<index::Home> existing_home(const Args& args);

// Loads the home's config.
model::Result<index::Config> load_home_config(const index::Home& home);

}  // namespace folio::api::cli
