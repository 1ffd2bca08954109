// temp_dir.h: a fresh directory for one test, removed when it goes out of scope.
#pragma once

#include <filesystem>
#include <string>

namespace folio::testing {

// Creates a unique directory under $TMPDIR (or /tmp). Not thread-safe to share.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // path() / name, as a string.
  std::string sub(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Writes `bytes` to `path`, creating parent directories.
void write_file(const std::filesystem::path& path, const std::string& bytes);
// Reads the whole file at `path`; throws std::runtime_error if unreadable.
std::string read_file(const std::filesystem::path& path);

}  // namespace folio::testing
