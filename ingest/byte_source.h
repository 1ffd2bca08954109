// byte_source.h: a streaming reader over a file that undoes gzip and xz compression on the fly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "index/model/result.h"

namespace folio::ingest {

// How the bytes of a file are stored. Found from the file's first bytes (its
// magic number), not from its name, so a renamed file still reads right.
enum class Compression { kNone, kGzip, kXz };

// "none", "gzip", "xz".
std::string_view compression_name(Compression c);

// A forward-only stream of the (decompressed) bytes of one input.
//
// gzip input may hold several concatenated members (as `cat a.gz b.gz` makes)
// and xz input several concatenated streams; they read as one stream, like
// `gzip -dc` / `xz -dc`. Zero bytes after the last gzip member are ignored
// (tape padding); any other trailing data is corrupt.
//
// Not thread-safe: one thread reads a ByteSource at a time.
class ByteSource {
 public:
  // Opens `path` and sniffs its compression. Errors: kNotFound when the
  // path does not exist, kInvalidArgument for a directory, kIOError when it
  // cannot be opened or read. Every error message names the path.
  static model::Result<std::unique_ptr<ByteSource>> open(const std::filesystem::path& path);

  // A source over bytes already in memory (a message piped in, a test
  // fixture). Compressed bytes are decompressed like a file's. `name` stands
  // in for the path in error messages.
  static std::unique_ptr<ByteSource> from_memory(std::string bytes, std::string name);

  virtual ~ByteSource();
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  // Copies up to `capacity` decompressed bytes to `dst` and returns how many;
  // 0 means the end of the stream (and only then). Errors: kIOError for a read
  // failure or for corrupt or truncated compressed data, naming the path.
  // After an error every later call returns the same error.
  model::Result<std::size_t> read(char* dst, std::size_t capacity);

  // Bytes of the underlying file (compressed bytes for gzip/xz) consumed so
  // far; reaches the file size at the end of the stream. For progress bars.
  virtual std::uint64_t consumed() const = 0;

  Compression compression() const { return compression_; }
  // The path (or the name given to from_memory), as used in error messages.
  const std::string& name() const { return name_; }

 protected:
  ByteSource(std::string name, Compression compression)
      : name_(std::move(name)), compression_(compression) {}

  // The work of read(), without the error latch.
  virtual model::Result<std::size_t> read_some(char* dst, std::size_t capacity) = 0;

  // An kIOError that names this source: "<name>: <what>".
  model::Error io_error(std::string_view what) const;

 private:
  std::string name_;
  Compression compression_;
  bool failed_ = false;
  model::Error error_;
};

// Reads the whole (decompressed) content of `path`. Errors as for
// ByteSource::open and read, plus kTooLarge when the content exceeds
// `max_bytes` (nothing past the limit is held in memory).
model::Result<std::string> read_whole_file(const std::filesystem::path& path,
                                           std::size_t max_bytes);

}  // namespace folio::ingest
