// config.cc: TOML config parsing and rendering with toml++ (the only toml++ user).
#include "index/config.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "index/internal/file_util.h"

namespace folio::index {

using model::Code;
using model::Err;
using model::Error;
using model::Result;
using model::Status;

namespace {

std::string where(const std::string& origin, const toml::node& node) {
  return origin + ":" + std::to_string(node.source().begin.line);
}

Error bad(const std::string& origin, const toml::node& node, const std::string& what) {
  return Err(Code::kInvalidArgument, where(origin, node) + ": " + what);
}

Status reject_unknown_keys(const std::string& origin, const toml::table& table,
                           const std::set<std::string>& known, const std::string& section) {
  for (const auto& [key, node] : table) {
    if (!known.count(std::string(key.str()))) {
      return bad(origin, node, "unknown key '" + std::string(key.str()) + "' in " + section);
    }
  }
  return {};
}

Result<std::string> get_string(const std::string& origin, const toml::node& node,
                               const std::string& key) {
  if (const auto* s = node.as_string()) return s->get();
  return bad(origin, node, "'" + key + "' must be a string");
}

Status read_size(const std::string& origin, const toml::table& table, const std::string& key,
                 std::size_t& out) {
  const toml::node* node = table.get(key);
  if (!node) return {};
  const auto* v = node->as_integer();
  if (!v || v->get() <= 0) return bad(origin, *node, "'" + key + "' must be a positive integer");
  out = static_cast<std::size_t>(v->get());
  return {};
}

Status read_limits(const std::string& origin, const toml::table& t, model::ParseLimits& l) {
  FOLIO_TRY(reject_unknown_keys(origin, t,
                                {"max_message_bytes", "max_mime_depth", "max_parts",
                                 "max_headers", "max_text_bytes", "max_references"},
                                "[limits]"));
  FOLIO_TRY(read_size(origin, t, "max_message_bytes", l.max_message_bytes));
  FOLIO_TRY(read_size(origin, t, "max_mime_depth", l.max_mime_depth));
  FOLIO_TRY(read_size(origin, t, "max_parts", l.max_parts));
  FOLIO_TRY(read_size(origin, t, "max_headers", l.max_headers));
  FOLIO_TRY(read_size(origin, t, "max_text_bytes", l.max_text_bytes));
  FOLIO_TRY(read_size(origin, t, "max_references", l.max_references));
  return {};
}

Status read_index(const std::string& origin, const toml::table& t, IndexSettings& s) {
  FOLIO_TRY(reject_unknown_keys(origin, t,
                                {"threads", "shards", "batch_messages", "index_quoted", "reader_wait_ms",
                                 "fsync_index"},
                                "[index]"));
  if (const toml::node* n = t.get("threads")) {
    const auto* v = n->as_integer();
    if (!v || v->get() < 0 || v->get() > 256) return bad(origin, *n, "'threads' must be 0..256");
    s.threads = static_cast<std::size_t>(v->get());
  }
  if (const toml::node* n = t.get("shards")) {
    const auto* v = n->as_integer();
    if (!v || v->get() < 1 || v->get() > 16) return bad(origin, *n, "'shards' must be 1..16");
    s.shards = static_cast<std::size_t>(v->get());
  }
  FOLIO_TRY(read_size(origin, t, "batch_messages", s.batch_messages));
  if (const toml::node* n = t.get("reader_wait_ms")) {
    const auto* v = n->as_integer();
    if (!v || v->get() < 0 || v->get() > 60000) return bad(origin, *n, "'reader_wait_ms' must be 0..60000");
    s.reader_wait_ms = static_cast<std::size_t>(v->get());
  }
  if (const toml::node* n = t.get("fsync_index")) {
    const auto* v = n->as_boolean();
    if (!v) return bad(origin, *n, "'fsync_index' must be true or false");
    s.fsync_index = v->get();
  }
  if (const toml::node* n = t.get("index_quoted")) {
    const auto* v = n->as_string();
    if (!v || (v->get() != "words" && v->get() != "positions" && v->get() != "none")) {
      return bad(origin, *n, "'index_quoted' must be \"words\", \"positions\" or \"none\"");
    }
    s.index_quoted = v->get();
  }
  return {};
}

Status read_search(const std::string& origin, const toml::table& t, SearchSettings& s) {
  FOLIO_TRY(reject_unknown_keys(
      origin, t, {"max_wildcard_expansion", "max_query_bytes", "max_page_size", "max_offset", "max_facet_matches"},
      "[search]"));
  FOLIO_TRY(read_size(origin, t, "max_wildcard_expansion", s.max_wildcard_expansion));
  FOLIO_TRY(read_size(origin, t, "max_query_bytes", s.max_query_bytes));
  FOLIO_TRY(read_size(origin, t, "max_page_size", s.max_page_size));
  FOLIO_TRY(read_size(origin, t, "max_offset", s.max_offset));
  FOLIO_TRY(read_size(origin, t, "max_facet_matches", s.max_facet_matches));
  return {};
}

std::string quote(const std::string& s) {
  std::ostringstream out;
  out << toml::value<std::string>(s);
  return out.str();
}

// The numeric keys of [serve]: name, member, smallest and largest value.
struct ServeNumber {
  const char* key;
  std::size_t ServeSettings::*member;
  std::int64_t min;
  std::int64_t max;
};

constexpr std::int64_t kDay = 86400;
constexpr ServeNumber kServeNumbers[] = {
    {"threads", &ServeSettings::threads, 0, 256},
    {"io_threads", &ServeSettings::io_threads, 1, 64},
    {"queue", &ServeSettings::queue, 0, 1000000},
    {"max_connections", &ServeSettings::max_connections, 1, 1000000},
    {"cache_bytes", &ServeSettings::cache_bytes, 0, std::int64_t{1} << 40},
    {"max_queue_wait_ms", &ServeSettings::max_queue_wait_ms, 1, 1000 * kDay},
    {"read_timeout_s", &ServeSettings::read_timeout_s, 1, kDay},
    {"write_timeout_s", &ServeSettings::write_timeout_s, 1, kDay},
    {"drain_timeout_s", &ServeSettings::drain_timeout_s, 0, kDay},
    {"export_time_limit_s", &ServeSettings::export_time_limit_s, 1, kDay},
    {"max_header_bytes", &ServeSettings::max_header_bytes, 1024, 1 << 20},
    {"max_body_bytes", &ServeSettings::max_body_bytes, 0, 1 << 20},
    {"max_export_messages", &ServeSettings::max_export_messages, 1, 1000000},
    {"max_atom_entries", &ServeSettings::max_atom_entries, 1, 10000},
    {"cache_fresh_ms", &ServeSettings::cache_fresh_ms, 0, 1000},
};

Status read_serve_number(const std::string& origin, const toml::table& t, const ServeNumber& n,
                         ServeSettings& s) {
  const toml::node* node = t.get(n.key);
  if (!node) return {};
  const auto* v = node->as_integer();
  if (!v || v->get() < n.min || v->get() > n.max) {
    return bad(origin, *node, "'" + std::string(n.key) + "' must be an integer from " + std::to_string(n.min) +
                                  " to " + std::to_string(n.max));
  }
  s.*n.member = static_cast<std::size_t>(v->get());
  return {};
}

Status read_serve(const std::string& origin, const toml::table& t, ServeSettings& s) {
  std::set<std::string> known{"bind", "jwt_secret_file"};
  for (const auto& n : kServeNumbers) known.insert(n.key);
  FOLIO_TRY(reject_unknown_keys(origin, t, known, "[serve]"));
  for (const auto& n : kServeNumbers) FOLIO_TRY(read_serve_number(origin, t, n, s));
  if (const toml::node* n = t.get("bind")) {
    auto v = get_string(origin, *n, "bind");
    FOLIO_TRY(v);
    std::string host;
    std::uint16_t port = 0;
    if (auto st = split_bind(v.value(), host, port); !st.ok()) return bad(origin, *n, st.error().message);
    s.bind = v.value();
  }
  if (const toml::node* n = t.get("jwt_secret_file")) {
    auto v = get_string(origin, *n, "jwt_secret_file");
    FOLIO_TRY(v);
    s.jwt_secret_file = v.value();
  }
  return {};
}

void render_serve(std::ostream& out, const ServeSettings& s) {
  out << "[serve]             # folio serve; flags override these\n"
      << "bind = " << quote(s.bind) << "\n"
      << "jwt_secret_file = " << quote(s.jwt_secret_file) << "  # relative to the home; \"\" = no tokens\n";
  for (const auto& n : kServeNumbers) out << n.key << " = " << s.*n.member << "\n";
}

Result<std::vector<std::string>> read_access(const std::string& origin, const toml::node& node) {
  const auto* arr = node.as_array();
  if (!arr) return bad(origin, node, "'access' must be an array of strings");
  std::vector<std::string> grants;
  for (const auto& item : *arr) {
    auto s = get_string(origin, item, "access");
    FOLIO_TRY(s);
    if (auto st = validate_grant(s.value()); !st.ok()) return bad(origin, item, st.error().message);
    grants.push_back(s.value());
  }
  return grants;
}

Result<ListConfig> read_list(const std::string& origin, const toml::table& t) {
  FOLIO_TRY(reject_unknown_keys(origin, t, {"name", "title", "list_id", "access"}, "[[list]]"));
  ListConfig list;
  const toml::node* name = t.get("name");
  if (!name) return bad(origin, t, "[[list]] needs a 'name'");
  auto n = get_string(origin, *name, "name");
  FOLIO_TRY(n);
  if (auto st = validate_list_name(n.value()); !st.ok()) return bad(origin, *name, st.error().message);
  list.name = n.value();
  if (const toml::node* title = t.get("title")) {
    auto s = get_string(origin, *title, "title");
    FOLIO_TRY(s);
    list.title = s.value();
  }
  if (const toml::node* id = t.get("list_id")) {
    auto s = get_string(origin, *id, "list_id");
    FOLIO_TRY(s);
    list.list_id = s.value();
  }
  if (const toml::node* access = t.get("access")) {
    auto g = read_access(origin, *access);
    FOLIO_TRY(g);
    list.access = std::move(g.value());
  }
  return list;
}

Status read_lists(const std::string& origin, const toml::node& node, Config& config) {
  const auto* arr = node.as_array();
  if (!arr) return bad(origin, node, "'list' must be an array of tables ([[list]])");
  for (const auto& item : *arr) {
    const auto* t = item.as_table();
    if (!t) return bad(origin, item, "each [[list]] must be a table");
    auto list = read_list(origin, *t);
    FOLIO_TRY(list);
    if (config.find_list(list->name)) {
      return bad(origin, item, "list '" + list->name + "' is declared twice");
    }
    config.lists.push_back(std::move(list.value()));
  }
  return {};
}

template <typename Fn>
Status read_section(const std::string& origin, const toml::table& root, const char* key, Fn fn) {
  const toml::node* node = root.get(key);
  if (!node) return {};
  const auto* t = node->as_table();
  if (!t) return bad(origin, *node, std::string("[") + key + "] must be a table");
  return fn(*t);
}

}  // namespace

const ListConfig* Config::find_list(std::string_view name) const {
  for (const auto& l : lists) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

ListConfig* Config::find_list(std::string_view name) {
  for (auto& l : lists) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

const ListConfig* Config::find_list_by_id(std::string_view list_id) const {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  const std::string wanted = lower(list_id);
  for (const auto& l : lists) {
    if (!l.list_id.empty() && lower(l.list_id) == wanted) return &l;
  }
  return nullptr;
}

QuotedText quoted_text_mode(const IndexSettings& settings) {
  if (settings.index_quoted == "positions") return QuotedText::kPositions;
  if (settings.index_quoted == "none") return QuotedText::kSkip;
  return QuotedText::kWords;
}

Status split_bind(std::string_view bind, std::string& host, std::uint16_t& port) {
  const std::size_t colon = bind.rfind(':');
  const std::string_view digits = colon == std::string_view::npos ? "" : bind.substr(colon + 1);
  bool numeric = !digits.empty() && digits.size() <= 5;
  for (char c : digits) numeric = numeric && c >= '0' && c <= '9';
  if (colon == 0 || !numeric || std::stoul(std::string(digits)) > 65535) {
    return Err(Code::kInvalidArgument, "bind must be HOST:PORT with a port of 0 to 65535, not '" +
                                           std::string(bind) + "'");
  }
  std::string_view h = bind.substr(0, colon);
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  host = std::string(h);
  port = static_cast<std::uint16_t>(std::stoul(std::string(digits)));
  return {};
}

Status validate_list_name(std::string_view name) {
  if (name.empty() || name.size() > 64) {
    return Err(Code::kInvalidArgument, "list name must be 1 to 64 characters");
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) {
      return Err(Code::kInvalidArgument,
                 "list name '" + std::string(name) + "' may hold only a-z 0-9 . _ -");
    }
  }
  return {};
}

Status validate_grant(std::string_view grant) {
  if (grant.empty() || grant.size() > 128) {
    return Err(Code::kInvalidArgument, "a grant must be 1 to 128 characters");
  }
  for (char c : grant) {
    if (c <= ' ' || c > '~' || c == ',') {
      return Err(Code::kInvalidArgument,
                 "grant '" + std::string(grant) + "' may not hold spaces, commas or non-ASCII");
    }
  }
  if (grant != "public" && grant.find(':') == std::string_view::npos) {
    return Err(Code::kInvalidArgument,
               "grant '" + std::string(grant) + "' must be \"public\" or kind:value (tier:pro)");
  }
  return {};
}

Result<Config> parse_config(std::string_view text, const std::string& origin) {
  toml::table root;
  try {
    root = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    return Err(Code::kInvalidArgument, origin + ":" + std::to_string(e.source().begin.line) +
                                           ": " + std::string(e.description()));
  }
  FOLIO_TRY(reject_unknown_keys(origin, root, {"list", "limits", "index", "search", "serve"}, "the top level"));
  Config config;
  if (const toml::node* lists = root.get("list")) FOLIO_TRY(read_lists(origin, *lists, config));
  FOLIO_TRY(read_section(origin, root, "limits",
                         [&](const toml::table& t) { return read_limits(origin, t, config.limits); }));
  FOLIO_TRY(read_section(origin, root, "index",
                         [&](const toml::table& t) { return read_index(origin, t, config.index); }));
  FOLIO_TRY(read_section(origin, root, "search",
                         [&](const toml::table& t) { return read_search(origin, t, config.search); }));
  FOLIO_TRY(read_section(origin, root, "serve",
                         [&](const toml::table& t) { return read_serve(origin, t, config.serve); }));
  return config;
}

Result<Config> load_config(const std::filesystem::path& path) {
  auto text = internal::read_whole_file(path);
  FOLIO_TRY(text);
  return parse_config(text.value(), path.string());
}

std::string render_config(const Config& c) {
  std::ostringstream out;
  out << "# folio archive configuration. See README.md, \"Configuration\".\n\n";
  out << "[limits]\n"
      << "max_message_bytes = " << c.limits.max_message_bytes << "\n"
      << "max_mime_depth = " << c.limits.max_mime_depth << "\n"
      << "max_parts = " << c.limits.max_parts << "\n"
      << "max_headers = " << c.limits.max_headers << "\n"
      << "max_text_bytes = " << c.limits.max_text_bytes << "\n"
      << "max_references = " << c.limits.max_references << "\n\n";
  out << "[index]\n"
      << "threads = " << c.index.threads << "          # 0 = one per core\n"
      << "shards = " << c.index.shards << "           # Xapian shards of a new generation\n"
      << "batch_messages = " << c.index.batch_messages << "\n"
      << "index_quoted = " << quote(c.index.index_quoted) << "  # words, positions or none\n"
      << "reader_wait_ms = " << c.index.reader_wait_ms << "  # a write waits this long at most for slower searches\n"
      << "fsync_index = " << (c.index.fsync_index ? "true" : "false")
      << "  # false: faster delivery; a power failure may need `folio reindex`\n\n";
  out << "[search]\n"
      << "max_wildcard_expansion = " << c.search.max_wildcard_expansion << "\n"
      << "max_query_bytes = " << c.search.max_query_bytes << "\n"
      << "max_page_size = " << c.search.max_page_size << "\n"
      << "max_offset = " << c.search.max_offset << "\n"
      << "max_facet_matches = " << c.search.max_facet_matches << "  # facets count exactly up to this many matches\n\n";
  render_serve(out, c.serve);
  for (const auto& l : c.lists) {
    out << "\n[[list]]\nname = " << quote(l.name) << "\n";
    if (!l.title.empty()) out << "title = " << quote(l.title) << "\n";
    if (!l.list_id.empty()) out << "list_id = " << quote(l.list_id) << "\n";
    out << "access = [";
    for (std::size_t i = 0; i < l.access.size(); ++i) out << (i ? ", " : "") << quote(l.access[i]);
    out << "]\n";
  }
  return out.str();
}

Status save_config(const std::filesystem::path& path, const Config& config) {
  return internal::write_file_atomically(path, render_config(config));
}

}  // namespace folio::index
