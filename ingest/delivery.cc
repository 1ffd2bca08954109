// delivery.cc: sanity checks, routing and spooling of one piped message.
#include "ingest/delivery.h"

#include <cctype>

namespace folio::ingest {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool is_field_name_char(char c) { return c > ' ' && c < 127 && c != ':'; }

// "<id>" or "Title <id>" -> "id".
std::string list_id_of(const std::string& value) {
  auto open = value.rfind('<');
  auto close = value.rfind('>');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    return value.substr(open + 1, close - open - 1);
  }
  std::string v = value;
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.pop_back();
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.erase(v.begin());
  return v;
}

DeliveryResult fail(int code, std::string reason) { return DeliveryResult{code, std::move(reason)}; }

}  // namespace

bool looks_like_message(std::string_view raw) {
  std::size_t i = 0;
  while (i < raw.size() && is_field_name_char(raw[i])) ++i;
  return i > 0 && i < raw.size() && raw[i] == ':';
}

std::string header_value(std::string_view raw, std::string_view name) {
  std::size_t pos = 0;
  while (pos < raw.size()) {
    std::size_t eol = raw.find('\n', pos);
    if (eol == std::string_view::npos) eol = raw.size();
    std::string_view line = raw.substr(pos, eol - pos);
    if (line.empty() || line == "\r") break;  // end of the header block
    auto colon = line.find(':');
    if (colon != std::string_view::npos && iequals(line.substr(0, colon), name)) {
      std::string value(line.substr(colon + 1));
      // Unfold continuation lines.
      std::size_t next = eol + 1;
      while (next < raw.size() && (raw[next] == ' ' || raw[next] == '\t')) {
        std::size_t e = raw.find('\n', next);
        if (e == std::string_view::npos) e = raw.size();
        value += ' ';
        value += raw.substr(next, e - next);
        next = e + 1;
      }
      return value;
    }
    pos = eol + 1;
  }
  return "";
}

DeliveryResult deliver_message(std::string raw, const std::string& list, const index::Config& config,
                               const Spool& spool, std::int64_t now_us) {
  if (raw.rfind("From ", 0) == 0) {
    auto eol = raw.find('\n');
    raw.erase(0, eol == std::string::npos ? raw.size() : eol + 1);
  }
  if (raw.empty()) return fail(kExDataErr, "empty input: no message to deliver");
  if (raw.size() > config.limits.max_message_bytes) {
    return fail(kExDataErr, "message is over the size limit of " +
                                std::to_string(config.limits.max_message_bytes) + " bytes");
  }
  if (!looks_like_message(raw)) return fail(kExDataErr, "input is not a mail message (no header fields)");
  std::string target = list;
  if (target.empty()) {
    std::string id = list_id_of(header_value(raw, "List-Id"));
    if (id.empty()) return fail(kExTempFail, "no --list given and the message has no List-Id header");
    const index::ListConfig* found = config.find_list_by_id(id);
    if (!found) return fail(kExTempFail, "no configured list has List-Id " + id);
    target = found->name;
  } else if (!config.find_list(target)) {
    return fail(kExTempFail, "no list named '" + target + "' in the config");
  }
  auto entry = spool.deliver(raw, target, now_us);
  if (!entry.ok()) return fail(kExTempFail, entry.error().message);
  return DeliveryResult{kExOk, "spooled for " + target + " as " + entry->name};
}

}  // namespace folio::ingest
