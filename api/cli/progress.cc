// progress.cc: terminal progress line.
#include "api/cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace folio::api::cli {

Progress::Progress(std::string label)
    : label_(std::move(label)),
      enabled_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

Progress::~Progress() { finish(); }

double Progress::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::update(std::uint64_t messages, std::uint64_t done, std::uint64_t total) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  double secs = elapsed_seconds();
  double rate = secs > 0 ? static_cast<double>(messages) / secs : 0;
  double frac = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 0;
  if (frac > 1) frac = 1;
  int eta = frac > 0.01 ? static_cast<int>(secs / frac - secs) : -1;
  char eta_text[32] = "--:--";
  if (eta >= 0) std::snprintf(eta_text, sizeof eta_text, "%d:%02d", eta / 60, eta % 60);
  std::fprintf(stderr, "\r%s: %llu messages, %.0f msg/s, %3.0f%%, ETA %s   ", label_.c_str(),
               static_cast<unsigned long long>(messages), rate, frac * 100, eta_text);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() {
  if (drawn_) std::fprintf(stderr, "\r\033[K");
  drawn_ = false;
}

}  // namespace folio::api::cli
