// corpus.h: where the shared real-mail corpus and the project's data/ live.
#pragma once

#include <filesystem>
#include <optional>

namespace folio::testing {

// ../shared/corpus beside the repository, or nullopt when absent.
// Tests that need it call SKIP_WITHOUT_CORPUS() first.
std::optional<std::filesystem::path> shared_corpus();

// The repository's data/ folder.
std::filesystem::path project_data();

// The built folio executable.
std::filesystem::path folio_binary();

// The built folio-deliver executable (`folio deliver` as a program of its own).
std::filesystem::path folio_deliver_binary();

}  // namespace folio::testing

// Ends the current test with a clear message when ../shared/corpus is absent.
#define SKIP_WITHOUT_CORPUS()                                                  \
  do {                                                                         \
    if (!folio::testing::shared_corpus()) {                                    \
      WARN("skipped: ../shared/corpus is absent (real-mail corpus not found)"); \
      return;                                                                  \
    }                                                                          \
  } while (0)
