// byte_source.cc: file and memory inputs, and the plain, gzip (zlib) and xz (liblzma) decoders over them.
#include "ingest/byte_source.h"

#include <fcntl.h>
#include <lzma.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

namespace folio::ingest {

using model::Code;
using model::Err;
using model::Error;
using model::Result;
using model::Status;

namespace {

// Compressed input is read in chunks of this size; plain input goes straight
// into the caller's buffer, so its reads are as large as the caller asks.
constexpr std::size_t kInputChunk = 64 * 1024;  // under the allocators' large-block threshold

// Enough leading bytes to recognise every supported magic number.
constexpr std::size_t kMagicBytes = 6;
constexpr unsigned char kGzipMagic[] = {0x1f, 0x8b};
constexpr unsigned char kXzMagic[] = {0xfd, '7', 'z', 'X', 'Z', 0x00};

// Where raw (possibly compressed) bytes come from.
class RawInput {
 public:
  virtual ~RawInput() = default;
  // Up to `capacity` bytes into `dst`; 0 at the end.
  virtual Result<std::size_t> read(unsigned char* dst, std::size_t capacity) = 0;
};

class FileInput final : public RawInput {
 public:
  FileInput(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  ~FileInput() override { ::close(fd_); }

  Result<std::size_t> read(unsigned char* dst, std::size_t capacity) override {
    for (;;) {
      ssize_t n = ::read(fd_, dst, capacity);
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno != EINTR) {
        return Err(Code::kIOError, name_ + ": read failed: " + std::strerror(errno));
      }
    }
  }

 private:
  int fd_;
  std::string name_;
};

class MemoryInput final : public RawInput {
 public:
  explicit MemoryInput(std::string bytes) : bytes_(std::move(bytes)) {}

  Result<std::size_t> read(unsigned char* dst, std::size_t capacity) override {
    std::size_t n = std::min(capacity, bytes_.size() - pos_);
    std::memcpy(dst, bytes_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string bytes_;
  std::size_t pos_ = 0;
};

// A refillable window over a RawInput; counts what the decoder has consumed.
class InBuffer {
 public:
  // The window is not zeroed: only bytes read into it are ever looked at.
  explicit InBuffer(std::unique_ptr<RawInput> raw)
      : raw_(std::move(raw)), data_(new unsigned char[kInputChunk]) {}

  unsigned char* begin() { return data_.get() + pos_; }
  std::size_t available() const { return end_ - pos_; }
  bool eof() const { return eof_; }
  void consume(std::size_t n) { pos_ += n; }
  std::uint64_t consumed() const { return total_ - available(); }
  RawInput& raw() { return *raw_; }

  // Moves unread bytes to the front and reads more after them. At the end of
  // the input, sets eof() instead.
  Status fill() {
    if (eof_) return model::Ok();
    std::memmove(data_.get(), data_.get() + pos_, available());
    end_ = available();
    pos_ = 0;
    auto n = raw_->read(data_.get() + end_, kInputChunk - end_);
    if (!n.ok()) return n.error();
    if (*n == 0) eof_ = true;
    end_ += *n;
    total_ += *n;
    return model::Ok();
  }

  // Fills until at least `n` bytes are buffered or the input ends.
  Status fill_at_least(std::size_t n) {
    while (available() < n && !eof_) FOLIO_TRY(fill());
    return model::Ok();
  }

  // Hands raw reads straight to the caller once the buffer is drained.
  void count_direct(std::size_t n) { total_ += n; }

 private:
  std::unique_ptr<RawInput> raw_;
  std::unique_ptr<unsigned char[]> data_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::uint64_t total_ = 0;
  bool eof_ = false;
};

bool starts_with_bytes(InBuffer& in, const unsigned char* magic, std::size_t n) {
  return in.available() >= n && std::memcmp(in.begin(), magic, n) == 0;
}

// Uncompressed input: the sniffed bytes first, then direct reads.
class PlainSource final : public ByteSource {
 public:
  PlainSource(std::string name, InBuffer in)
      : ByteSource(std::move(name), Compression::kNone), in_(std::move(in)) {}

  std::uint64_t consumed() const override { return in_.consumed(); }

 protected:
  Result<std::size_t> read_some(char* dst, std::size_t capacity) override {
    if (in_.available() > 0) {
      std::size_t n = std::min(capacity, in_.available());
      std::memcpy(dst, in_.begin(), n);
      in_.consume(n);
      return n;
    }
    auto n = in_.raw().read(reinterpret_cast<unsigned char*>(dst), capacity);
    if (n.ok()) in_.count_direct(*n);
    return n;
  }

 private:
  InBuffer in_;
};

// gzip, one member after another (RFC 1952 allows concatenation).
class GzipSource final : public ByteSource {
 public:
  GzipSource(std::string name, InBuffer in)
      : ByteSource(std::move(name), Compression::kGzip), in_(std::move(in)) {}
  ~GzipSource() override {
    if (initialized_) inflateEnd(&z_);
  }

  std::uint64_t consumed() const override { return in_.consumed(); }

 protected:
  Result<std::size_t> read_some(char* dst, std::size_t capacity) override;

 private:
  Status init();
  Status step();
  Result<bool> next_member();
  Status skip_zero_padding();

  InBuffer in_;
  z_stream z_{};
  bool initialized_ = false;
  bool member_ended_ = false;
  bool finished_ = false;
};

Status GzipSource::init() {
  // 16 + MAX_WBITS: expect a gzip header and trailer (not zlib or raw deflate).
  if (inflateInit2(&z_, 16 + MAX_WBITS) != Z_OK) return io_error("cannot initialise zlib");
  initialized_ = true;
  return model::Ok();
}

Result<std::size_t> GzipSource::read_some(char* dst, std::size_t capacity) {
  if (!initialized_) FOLIO_TRY(init());
  z_.next_out = reinterpret_cast<Bytef*>(dst);
  z_.avail_out = static_cast<uInt>(std::min<std::size_t>(capacity, 1u << 30));
  const uInt asked = z_.avail_out;
  while (z_.avail_out == asked && !finished_) {
    if (member_ended_) {
      auto more = next_member();
      if (!more.ok()) return more.error();
      if (!*more) finished_ = true;
      continue;
    }
    FOLIO_TRY(step());
  }
  return static_cast<std::size_t>(asked - z_.avail_out);
}

// One inflate() call over whatever input is buffered.
Status GzipSource::step() {
  if (in_.available() == 0) FOLIO_TRY(in_.fill());
  z_.next_in = in_.begin();
  z_.avail_in = static_cast<uInt>(in_.available());
  const uInt before = z_.avail_in;
  int rc = inflate(&z_, Z_NO_FLUSH);
  in_.consume(before - z_.avail_in);
  if (rc == Z_STREAM_END) {
    member_ended_ = true;
    return model::Ok();
  }
  if (rc == Z_OK) return model::Ok();
  if (rc == Z_BUF_ERROR && !(in_.eof() && in_.available() == 0)) return model::Ok();
  if (rc == Z_BUF_ERROR) return io_error("truncated gzip data (unexpected end of file)");
  return io_error(std::string("corrupt gzip data: ") + (z_.msg ? z_.msg : "inflate failed"));
}

// After a member: another member follows, or the input ends (possibly after
// zero padding). Returns whether another member starts.
Result<bool> GzipSource::next_member() {
  FOLIO_TRY(in_.fill_at_least(sizeof kGzipMagic));
  if (in_.available() == 0) return false;
  if (starts_with_bytes(in_, kGzipMagic, sizeof kGzipMagic)) {
    if (inflateReset(&z_) != Z_OK) return io_error("cannot reset zlib");
    member_ended_ = false;
    return true;
  }
  FOLIO_TRY(skip_zero_padding());
  return false;
}

Status GzipSource::skip_zero_padding() {
  for (;;) {
    const unsigned char* p = in_.begin();
    std::size_t n = in_.available();
    if (std::any_of(p, p + n, [](unsigned char c) { return c != 0; })) {
      return io_error("corrupt gzip data: trailing garbage after the last member");
    }
    in_.consume(n);
    if (in_.eof()) return model::Ok();
    FOLIO_TRY(in_.fill());
  }
}

// xz; LZMA_CONCATENATED reads several streams back to back like `xz -dc`.
class XzSource final : public ByteSource {
 public:
  XzSource(std::string name, InBuffer in)
      : ByteSource(std::move(name), Compression::kXz), in_(std::move(in)) {}
  ~XzSource() override { lzma_end(&strm_); }

  std::uint64_t consumed() const override { return in_.consumed(); }

 protected:
  Result<std::size_t> read_some(char* dst, std::size_t capacity) override;

 private:
  Status init();
  Status step();
  Error lzma_error(lzma_ret ret, bool finishing) const;

  InBuffer in_;
  lzma_stream strm_ = LZMA_STREAM_INIT;
  bool initialized_ = false;
  bool finished_ = false;
};

Status XzSource::init() {
  lzma_ret ret = lzma_stream_decoder(&strm_, UINT64_MAX, LZMA_CONCATENATED);
  if (ret != LZMA_OK) return lzma_error(ret, false);
  initialized_ = true;
  return model::Ok();
}

Result<std::size_t> XzSource::read_some(char* dst, std::size_t capacity) {
  if (!initialized_) FOLIO_TRY(init());
  strm_.next_out = reinterpret_cast<std::uint8_t*>(dst);
  strm_.avail_out = capacity;
  while (strm_.avail_out == capacity && !finished_) FOLIO_TRY(step());
  return capacity - strm_.avail_out;
}

// One lzma_code() call; LZMA_FINISH once the file is exhausted, so that a
// truncated stream is reported instead of read as a short one.
Status XzSource::step() {
  if (in_.available() == 0) FOLIO_TRY(in_.fill());
  const bool finishing = in_.eof() && in_.available() == 0;
  strm_.next_in = in_.begin();
  strm_.avail_in = in_.available();
  const std::size_t before = strm_.avail_in;
  lzma_ret ret = lzma_code(&strm_, finishing ? LZMA_FINISH : LZMA_RUN);
  in_.consume(before - strm_.avail_in);
  if (ret == LZMA_STREAM_END) {
    finished_ = true;
    return model::Ok();
  }
  if (ret == LZMA_OK) return model::Ok();
  return lzma_error(ret, finishing);
}

Error XzSource::lzma_error(lzma_ret ret, bool finishing) const {
  switch (ret) {
    case LZMA_MEM_ERROR: return io_error("xz: out of memory");
    case LZMA_FORMAT_ERROR: return io_error("corrupt xz data: not in .xz format");
    case LZMA_OPTIONS_ERROR: return io_error("corrupt xz data: unsupported options");
    case LZMA_DATA_ERROR: return io_error("corrupt xz data");
    case LZMA_BUF_ERROR:
      return io_error(finishing ? "truncated xz data (unexpected end of file)"
                                : "corrupt xz data: no progress");
    default: return io_error("xz decoder failed (lzma_ret " + std::to_string(ret) + ")");
  }
}

// Sniffs the compression from the first bytes and builds the matching source.
Result<std::unique_ptr<ByteSource>> make_source(std::unique_ptr<RawInput> raw, std::string name) {
  InBuffer in(std::move(raw));
  FOLIO_TRY(in.fill_at_least(kMagicBytes));
  if (starts_with_bytes(in, kXzMagic, sizeof kXzMagic)) {
    return std::unique_ptr<ByteSource>(new XzSource(std::move(name), std::move(in)));
  }
  if (starts_with_bytes(in, kGzipMagic, sizeof kGzipMagic)) {
    return std::unique_ptr<ByteSource>(new GzipSource(std::move(name), std::move(in)));
  }
  return std::unique_ptr<ByteSource>(new PlainSource(std::move(name), std::move(in)));
}

Error open_error(const std::string& name, int err) {
  Code code = (err == ENOENT || err == ENOTDIR) ? Code::kNotFound : Code::kIOError;
  return Err(code, name + ": cannot open: " + std::strerror(err));
}

}  // namespace

std::string_view compression_name(Compression c) {
  switch (c) {
    case Compression::kNone: return "none";
    case Compression::kGzip: return "gzip";
    case Compression::kXz: return "xz";
  }
  return "none";
}

ByteSource::~ByteSource() = default;

Result<std::size_t> ByteSource::read(char* dst, std::size_t capacity) {
  if (failed_) return error_;
  if (capacity == 0) return std::size_t{0};
  auto n = read_some(dst, capacity);
  if (!n.ok()) {
    failed_ = true;
    error_ = n.error();
  }
  return n;
}

Error ByteSource::io_error(std::string_view what) const {
  return Err(Code::kIOError, name_ + ": " + std::string(what));
}

Result<std::unique_ptr<ByteSource>> ByteSource::open(const std::filesystem::path& path) {
  const std::string name = path.string();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return open_error(name, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return open_error(name, err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Err(Code::kInvalidArgument, name + ": is a directory, not a file");
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return make_source(std::make_unique<FileInput>(fd, name), name);
}

std::unique_ptr<ByteSource> ByteSource::from_memory(std::string bytes, std::string name) {
  // Reading from memory cannot fail, so neither can sniffing it.
  return std::move(make_source(std::make_unique<MemoryInput>(std::move(bytes)), std::move(name)))
      .value();
}

Result<std::string> read_whole_file(const std::filesystem::path& path, std::size_t max_bytes) {
  auto source = ByteSource::open(path);
  if (!source.ok()) return source.error();
  constexpr std::size_t kChunk = 64 * 1024;
  std::string out;
  for (;;) {
    const std::size_t size = out.size();
    out.resize(size + kChunk);
    auto n = (*source)->read(out.data() + size, kChunk);
    if (!n.ok()) return n.error();
    out.resize(size + *n);
    if (out.size() > max_bytes) {
      return Err(Code::kTooLarge, path.string() + ": larger than " + std::to_string(max_bytes) +
                                      " bytes");
    }
    if (*n == 0) return out;
  }
}

}  // namespace folio::ingest
