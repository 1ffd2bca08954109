// corpus.cc: locating test data relative to the source tree.
#include "tests/support/corpus.h"

#include <cstdlib>

namespace folio::testing {

std::optional<std::filesystem::path> shared_corpus() {
  std::filesystem::path p;
  if (const char* env = std::getenv("FOLIO_SHARED_CORPUS")) {
    p = env;
  } else {
    p = std::filesystem::path(FOLIO_SOURCE_DIR) / ".." / "shared" / "corpus";
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(p, ec)) return std::nullopt;
  return std::filesystem::weakly_canonical(p);
}

std::filesystem::path project_data() {
  return std::filesystem::path(FOLIO_SOURCE_DIR) / "data";
}

std::filesystem::path folio_binary() { return FOLIO_BINARY; }

// api/CMakeLists.txt builds both programs into the same directory.
std::filesystem::path folio_deliver_binary() { return folio_binary().parent_path() / "folio-deliver"; }

}  // namespace folio::testing
