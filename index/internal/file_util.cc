// file_util.cc: POSIX file helpers with fsync discipline.
#include "index/internal/file_util.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace folio::index::internal {

using model::Code;
using model::Err;

model::Error errno_error(const std::string& what) {
  return Err(Code::kIOError, what + ": " + std::strerror(errno));
}

model::Result<std::string> read_whole_file(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Err(Code::kNotFound, path.string() + ": no such file");
    return errno_error(path.string());
  }
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      auto e = errno_error(path.string());
      ::close(fd);
      return e;
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

namespace {

// Opens `path` with `flags`, fsyncs it and closes it.
model::Status fsync_path(const std::filesystem::path& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return errno_error(path.string());
  int rc = ::fsync(fd);
  auto e = rc != 0 ? errno_error("fsync " + path.string()) : model::Error{};
  ::close(fd);
  if (rc != 0) return e;
  return {};
}

}  // namespace

model::Status fsync_dir(const std::filesystem::path& dir) { return fsync_path(dir, O_RDONLY | O_DIRECTORY); }

model::Status fsync_tree(const std::filesystem::path& dir) {
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    FOLIO_TRY(fsync_path(it->path(), it->is_directory(ec) ? O_RDONLY | O_DIRECTORY : O_RDONLY));
  }
  if (ec) return model::Err(model::Code::kIOError, dir.string() + ": " + ec.message());
  return fsync_dir(dir);
}

model::Status write_file_atomically(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::path tmp = path;
  tmp += ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno_error(tmp.string());
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      auto e = errno_error("write " + tmp.string());
      ::close(fd);
      ::unlink(tmp.c_str());
      return e;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    auto e = errno_error("fsync " + tmp.string());
    ::unlink(tmp.c_str());
    return e;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    auto e = errno_error("rename " + tmp.string());
    ::unlink(tmp.c_str());
    return e;
  }
  auto parent = path.parent_path();
  return fsync_dir(parent.empty() ? std::filesystem::path(".") : parent);
}

}  // namespace folio::index::internal
