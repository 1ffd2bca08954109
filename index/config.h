// config.h: the archive's configuration (lists, access grants, limits), read from TOML.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "index/model/limits.h"
#include "index/model/result.h"

namespace folio::index {

// How '>' quoted lines of a body are indexed.
enum class QuotedText {
  kWords,      // words findable, phrases not (no positions): the default
  kPositions,  // like the message's own text
  kSkip,       // not indexed: faster, smaller; the quoted message itself is usually archived
};

// One mailing list known to the archive.
struct ListConfig {
  std::string name;     // short name used in list: queries, [a-z0-9._-]+
  std::string title;    // human-readable title
  std::string list_id;  // List-Id used to route delivered mail; may be empty
  // Grants that may read the list ("public", "tier:pro", "group:core").
  // Empty means nobody may read it (fail closed).
  std::vector<std::string> access;
};

// How the writer batches and parallelises.
struct IndexSettings {
  std::size_t threads = 0;          // parse/term workers; 0 = number of cores
  std::size_t shards = 2;           // Xapian shards per new generation (parallel writers)
  std::size_t batch_messages = 1000;  // commit after this many messages
  // '>' quoted lines: "words" (found, not as phrases), "positions" (also
  // phrases) or "none" (not indexed; faster).
  std::string index_quoted = "words";
  // How long the writer may hold a write for searches still reading an
  // older revision of the live index (index/reader_board.h); 0..60000, 0 = never.
  std::size_t reader_wait_ms = 1000;
  // fsync each commit of the index. false: commits cost less I/O, so
  // deliveries (whose fsyncs wait behind the writer's) and searchability are
  // faster; a process crash still loses nothing, but after a power failure
  // the index may need `folio reindex`. Messages are in the store, which is
  // always synced, either way.
  bool fsync_index = true;
};

// Search-side bounds.
struct SearchSettings {
  std::size_t max_wildcard_expansion = 1000;  // terms a trailing * may expand to
  std::size_t max_query_bytes = 4096;
  std::size_t max_page_size = 100;
  std::size_t max_offset = 10000;
  // Matches a search with facets examines at most: its facets (and total) are
  // exact up to this many, lower bounds (an estimate) beyond.
  std::size_t max_facet_matches = 200000;
};

// `folio serve`: where it listens and the bounds that keep it up under load.
// Read when the service starts (a reload does not change them); each has a
// command-line flag or is documented in README.md, "Configuration".
struct ServeSettings {
  std::string bind = "127.0.0.1:8080";    // HOST:PORT; an IPv6 host in brackets
  std::size_t threads = 0;                // index workers; 0 = one per core (at least 2)
  std::size_t io_threads = 2;             // socket threads (Beast), 1..64
  std::size_t queue = 0;                  // requests waiting for a worker; 0 = 16 per worker
  std::size_t max_connections = 1024;     // more are answered 503 and closed
  std::size_t cache_bytes = 64u << 20;    // the shared result cache's bound; 0 = no cache
  std::string jwt_secret_file;            // "" = no tokens accepted; relative to the home
  std::size_t max_queue_wait_ms = 5000;   // a request that waited longer for a worker gets 503
  std::size_t read_timeout_s = 15;        // to receive a whole request
  std::size_t write_timeout_s = 60;       // to send one response or one piece of an export
  std::size_t drain_timeout_s = 20;       // SIGTERM: how long requests in flight may finish
  std::size_t export_time_limit_s = 600;  // an export (search.mbox) is cut off after this
  std::size_t max_header_bytes = 8192;    // request headers; more: 431
  std::size_t max_body_bytes = 8192;      // request body; more: 413
  std::size_t max_export_messages = 10000;  // messages per search.mbox response
  std::size_t max_atom_entries = 100;     // entries per search.atom feed
  // A cache hit may be answered on the socket thread, without a worker, when
  // the index revision was checked less than this long ago; 0 = always check.
  std::size_t cache_fresh_ms = 50;

  bool operator==(const ServeSettings&) const = default;
};

struct Config {
  std::vector<ListConfig> lists;
  model::ParseLimits limits;
  IndexSettings index;
  SearchSettings search;
  ServeSettings serve;

  // The list named `name`, or nullptr.
  const ListConfig* find_list(std::string_view name) const;
  ListConfig* find_list(std::string_view name);
  // The list whose list_id equals `list_id` (case-insensitive), or nullptr.
  const ListConfig* find_list_by_id(std::string_view list_id) const;
};

// The quoted-text mode named by settings.index_quoted.
QuotedText quoted_text_mode(const IndexSettings& settings);

// Reads and validates a config file. Unknown keys, wrong types and bad values
// are kInvalidArgument errors whose message names the file and line.
model::Result<Config> load_config(const std::filesystem::path& path);

// Parses config text; `origin` names it in error messages.
model::Result<Config> parse_config(std::string_view text, const std::string& origin);

// Renders `config` as TOML text that parse_config reads back to the same value.
std::string render_config(const Config& config);

// Writes the config atomically (temp file, fsync, rename).
model::Status save_config(const std::filesystem::path& path, const Config& config);

// Splits a bind address "HOST:PORT" ("[::1]:8080" for IPv6) into host and
// port. kInvalidArgument when it is not of that form or the port is over 65535.
model::Status split_bind(std::string_view bind, std::string& host, std::uint16_t& port);

// Checks a list name: non-empty, at most 64 bytes, [a-z0-9._-] only.
model::Status validate_list_name(std::string_view name);
// Checks a grant: "public" or "kind:value" with printable ASCII, no spaces or commas.
model::Status validate_grant(std::string_view grant);

}  // namespace folio::index
