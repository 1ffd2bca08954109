// progress.h: a one-line progress display for long jobs, shown only on a terminal.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace folio::api::cli {

// Redraws "label: N messages, R msg/s, P%, ETA" on stderr at most 5 times a
// second, only when stderr is a terminal. Not thread-safe.
class Progress {
 public:
  explicit Progress(std::string label);
  ~Progress();

  // `done_bytes` of `total_bytes` of input consumed, `messages` handled.
  void update(std::uint64_t messages, std::uint64_t done_bytes, std::uint64_t total_bytes);
  // Clears the line.
  void finish();
  double elapsed_seconds() const;

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace folio::api::cli
