// schema.cc: lookups in the field table.
#include "index/schema.h"

#include <charconv>
#include <chrono>

namespace folio::index {

const Field* find_field(std::string_view name) {
  for (const auto& f : kFields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace folio::index

#include <xxhash.h>

#include <cstdio>

namespace folio::index {

namespace {
constexpr std::size_t kMaxTermBytes = 240;
}

std::string message_id_term(std::string_view id) {
  std::string term(prefix::kMessageId);
  if (term.size() + id.size() <= kMaxTermBytes) return term.append(id);
  XXH128_hash_t h = XXH3_128bits(id.data(), id.size());
  char buf[40];
  std::snprintf(buf, sizeof buf, "#%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return term.append(buf);
}

std::string date_period_term(int year, unsigned month, unsigned day) {
  char buf[40];  // room for any int and unsigned, though callers pass 0..9999, 0..12, 0..31
  if (month == 0) {
    std::snprintf(buf, sizeof buf, "%04d", year);
  } else if (day == 0) {
    std::snprintf(buf, sizeof buf, "%04d%02u", year, month);
  } else {
    std::snprintf(buf, sizeof buf, "%04d%02u%02u", year, month, day);
  }
  return std::string(prefix::kDatePeriod).append(buf);
}

std::vector<std::string> date_period_terms(std::int64_t epoch) {
  using namespace std::chrono;
  constexpr std::int64_t kSecondsPerDay = 86400;
  std::int64_t days = epoch / kSecondsPerDay - (epoch % kSecondsPerDay < 0 ? 1 : 0);
  year_month_day ymd{sys_days{std::chrono::days{days}}};
  int y = static_cast<int>(ymd.year());
  if (y < 0 || y > 9999) return {};
  auto m = static_cast<unsigned>(ymd.month());
  auto d = static_cast<unsigned>(ymd.day());
  return {date_period_term(y), date_period_term(y, m), date_period_term(y, m, d)};
}

std::string list_term(std::string_view list) { return std::string(prefix::kList).append(list); }

namespace {
constexpr std::size_t kThreadLabelBytes = 16;  // thread_label's "%016llx"
}  // namespace

std::string thread_label(std::uint64_t thread) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(thread));
  return buf;
}

std::string thread_term(std::uint64_t thread) {
  return std::string(prefix::kThread) + thread_label(thread);
}

bool parse_thread_label(std::string_view label, std::uint64_t& thread) {
  if (label.size() != kThreadLabelBytes) return false;
  std::uint64_t v = 0;
  for (char c : label) {
    int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    if (d < 0) return false;
    v = (v << 4) | static_cast<std::uint64_t>(d);
  }
  thread = v;
  return true;
}

std::string encode_hit_meta(const HitMeta& meta) {
  std::string out = meta.thread;
  out += std::to_string(meta.date);
  out += '\n';
  out += meta.lists;
  return out;
}

bool decode_hit_meta(std::string_view value, HitMeta& meta) {
  std::uint64_t thread = 0;
  if (value.size() < kThreadLabelBytes + 2) return false;
  if (!parse_thread_label(value.substr(0, kThreadLabelBytes), thread)) return false;
  std::size_t nl = value.find('\n', kThreadLabelBytes);
  if (nl == std::string_view::npos) return false;
  std::int64_t date = 0;
  auto [end, ec] = std::from_chars(value.data() + kThreadLabelBytes, value.data() + nl, date);
  if (ec != std::errc() || end != value.data() + nl) return false;
  meta.thread.assign(value.substr(0, kThreadLabelBytes));
  meta.date = date;
  meta.lists.assign(value.substr(nl + 1));
  return true;
}

}  // namespace folio::index
