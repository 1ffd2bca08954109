// spool.cc: maildir-style durable queue of delivered messages.
#include "ingest/spool.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace folio::ingest {

using model::Code;
using model::Err;
using model::Result;
using model::Status;

namespace {

model::Error io_error(const std::string& what) {
  return Err(Code::kIOError, what + ": " + std::strerror(errno));
}

Status write_all(int fd, std::string_view bytes, const std::string& path) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("write " + path);
    done += static_cast<std::size_t>(n);
  }
  return {};
}

Status fsync_dir(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("open " + dir.string());
  int rc = ::fsync(fd);
  int saved = errno;
  ::close(fd);
  errno = saved;
  if (rc != 0) return io_error("fsync " + dir.string());
  return {};
}

// "<arrival_us>.<pid>_<n>.<random>,L=<list>": unique without a lock, sortable by time.
std::string entry_name(std::int64_t now_us, std::string_view list) {
  static std::atomic<unsigned> counter{0};
  char buf[96];
  std::snprintf(buf, sizeof buf, "%016lld.%d_%u.%08x", static_cast<long long>(now_us),
                static_cast<int>(::getpid()), counter.fetch_add(1),
                static_cast<unsigned>(std::hash<std::int64_t>{}(now_us ^ ::getpid())));
  return std::string(buf) + ",L=" + std::string(list);
}

}  // namespace

bool Spool::parse_name(const std::string& name, SpoolEntry& out) {
  auto comma = name.rfind(",L=");
  if (comma == std::string::npos || comma + 3 >= name.size()) return false;
  long long us = 0;
  if (std::sscanf(name.c_str(), "%lld.", &us) != 1 || us <= 0) return false;
  out.name = name;
  out.list = name.substr(comma + 3);
  out.arrival_us = us;
  return true;
}

Status Spool::ensure_dirs() const {
  std::error_code ec;
  for (const auto& d : {tmp_dir(), new_dir(), quarantine_dir()}) {
    std::filesystem::create_directories(d, ec);
    if (ec) return Err(Code::kIOError, "cannot create " + d.string() + ": " + ec.message());
  }
  return {};
}

namespace {

int create_exclusive(const std::filesystem::path& path) {
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
}

// Writes `raw` to the new file `tmp` of `spool` and fsyncs it; removes it on failure.
Status write_tmp(const Spool& spool, const std::filesystem::path& tmp, std::string_view raw) {
  int fd = create_exclusive(tmp);
  if (fd < 0 && errno == ENOENT) {  // a new spool: make its directories once, not on every delivery
    FOLIO_TRY(spool.ensure_dirs());
    fd = create_exclusive(tmp);
  }
  if (fd < 0) return io_error("cannot create " + tmp.string());
  Status written = write_all(fd, raw, tmp.string());
  if (written.ok() && ::fsync(fd) != 0) written = io_error("fsync " + tmp.string());
  if (::close(fd) != 0 && written.ok()) written = io_error("close " + tmp.string());
  if (!written.ok()) ::unlink(tmp.c_str());
  return written;
}

// Renames `tmp` to `dest` in new/ and fsyncs new/; removes `tmp` when the rename fails.
Status publish(const Spool& spool, const std::filesystem::path& tmp, const std::filesystem::path& dest) {
  int renamed = ::rename(tmp.c_str(), dest.c_str());
  if (renamed != 0 && errno == ENOENT) {  // new/ was removed after tmp/ was found
    if (auto dirs = spool.ensure_dirs(); !dirs.ok()) {
      ::unlink(tmp.c_str());
      return dirs;
    }
    renamed = ::rename(tmp.c_str(), dest.c_str());
  }
  if (renamed != 0) {
    auto e = io_error("rename into " + spool.new_dir().string());
    ::unlink(tmp.c_str());
    return e;
  }
  return fsync_dir(spool.new_dir());
}

}  // namespace

Result<SpoolEntry> Spool::deliver(std::string_view raw, std::string_view list,
                                  std::int64_t now_us) const {
  SpoolEntry entry;
  entry.name = entry_name(now_us, list);
  entry.list = std::string(list);
  entry.arrival_us = now_us;
  FOLIO_TRY(write_tmp(*this, tmp_dir() / entry.name, raw));
  FOLIO_TRY(publish(*this, tmp_dir() / entry.name, new_dir() / entry.name));
  return entry;
}

namespace {
constexpr std::string_view kRemovalMagic = "folio-remove\n";
}

Result<SpoolEntry> Spool::request_removal(std::string_view message_id, std::string_view reason,
                                          std::int64_t now_us) const {
  FOLIO_TRY(ensure_dirs());
  std::string body(kRemovalMagic);
  body.append(message_id).append("\n");
  for (char c : reason) body.push_back(c == '\n' ? ' ' : c);
  body.push_back('\n');
  return deliver(body, kRemovalList, now_us);
}

Result<std::pair<std::string, std::string>> Spool::read_removal(const SpoolEntry& entry) const {
  auto bytes = read(entry);
  FOLIO_TRY(bytes);
  std::string_view b = bytes.value();
  if (b.substr(0, kRemovalMagic.size()) != kRemovalMagic) {
    return Err(Code::kCorruption, entry.name + ": not a takedown request");
  }
  b.remove_prefix(kRemovalMagic.size());
  auto nl = b.find('\n');
  if (nl == std::string_view::npos || nl == 0) return Err(Code::kCorruption, entry.name + ": no Message-ID");
  std::string id(b.substr(0, nl));
  std::string reason(b.substr(nl + 1));
  while (!reason.empty() && reason.back() == '\n') reason.pop_back();
  return std::make_pair(id, reason);
}

Result<std::vector<SpoolEntry>> Spool::pending(std::size_t max) const {
  std::vector<SpoolEntry> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(new_dir(), ec)) {
    SpoolEntry entry;
    if (parse_name(e.path().filename().string(), entry)) out.push_back(std::move(entry));
  }
  if (ec) return Err(Code::kIOError, "cannot list " + new_dir().string() + ": " + ec.message());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  if (out.size() > max) out.resize(max);
  return out;
}

Result<std::string> Spool::read(const SpoolEntry& entry) const {
  auto path = new_dir() / entry.name;
  std::ifstream in(path, std::ios::binary);
  if (!in) return Err(Code::kNotFound, path.string() + ": gone");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Err(Code::kIOError, "read " + path.string());
  return bytes;
}

Status Spool::remove(const SpoolEntry& entry) const {
  auto path = new_dir() / entry.name;
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return io_error("unlink " + path.string());
  return {};
}

Status Spool::quarantine(const SpoolEntry& entry, const std::string& reason) const {
  auto dest = quarantine_dir() / entry.name;
  std::ofstream note(dest.string() + ".reason");
  note << reason << "\n";
  note.close();
  auto src = new_dir() / entry.name;
  if (::rename(src.c_str(), dest.c_str()) != 0) return io_error("quarantine " + src.string());
  return fsync_dir(quarantine_dir());
}

void Spool::clean_tmp(std::int64_t now_us, std::int64_t age_s) const {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(tmp_dir(), ec)) {
    SpoolEntry entry;
    if (!parse_name(e.path().filename().string(), entry)) continue;
    if (now_us - entry.arrival_us > age_s * 1000000) std::filesystem::remove(e.path(), ec);
  }
}

Result<SpoolStats> Spool::stats() const {
  SpoolStats s;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(new_dir(), ec)) {
    SpoolEntry entry;
    if (!parse_name(e.path().filename().string(), entry)) continue;
    ++s.depth;
    if (s.oldest_arrival_us == 0 || entry.arrival_us < s.oldest_arrival_us) {
      s.oldest_arrival_us = entry.arrival_us;
    }
  }
  if (ec) return Err(Code::kIOError, "cannot list " + new_dir().string() + ": " + ec.message());
  for (const auto& e : std::filesystem::directory_iterator(quarantine_dir(), ec)) {
    if (e.path().extension() != ".reason") ++s.quarantined;
  }
  return s;
}

}  // namespace folio::ingest
