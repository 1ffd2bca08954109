// file_util.h: small durable file operations used across index/.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "index/model/result.h"

namespace folio::index::internal {

// Reads a whole file. kNotFound if missing, kIOError otherwise.
model::Result<std::string> read_whole_file(const std::filesystem::path& path);

// Writes `bytes` to a temp file beside `path`, fsyncs it, renames it over
// `path` and fsyncs the directory: readers see the old or the new file, whole.
model::Status write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

// fsyncs a directory so that a rename or create inside it is durable.
model::Status fsync_dir(const std::filesystem::path& dir);

// fsyncs every file and directory under `dir`, and `dir` itself: makes
// durable what was written without syncing (a bulk build).
model::Status fsync_tree(const std::filesystem::path& dir);

// "what: strerror(errno)" as an error, kIOError (kTooLarge for ENOSPC is not used;
// callers that care look at errno themselves).
model::Error errno_error(const std::string& what);

}  // namespace folio::index::internal
