// init_home.h: creating an archive home (its first index generation needs Xapian).
#pragma once

#include "index/home.h"
#include "index/model/result.h"

namespace folio::index {

// Creates a home at `home.root()`: directories, a default config (kept if
// present), and an empty generation 1 named by CURRENT. Idempotent.
model::Status init_home(const Home& home);

}  // namespace folio::index
