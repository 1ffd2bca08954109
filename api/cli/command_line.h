// command_line.h: argument parsing and error reporting shared by the subcommands.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "index/model/result.h"

namespace folio::api::cli {

// Exit codes of the folio command line.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the work failed (I/O, corruption, busy)
inline constexpr int kExitUsage = 2;    // bad arguments or a bad query

// Parsed arguments of one subcommand.
struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;  // --name VALUE or --name=VALUE
  std::set<std::string> flags;                // --name

  bool has(const std::string& flag) const { return flags.count(flag) > 0; }
  // The value of --name, or `fallback`.
  std::string get(const std::string& name, const std::string& fallback = "") const;
};

// What a subcommand accepts: options that take a value and bare flags.
struct ArgSpec {
  std::set<std::string> value_options;
  std::set<std::string> flag_options;
};

// Parses argv-style words. kInvalidArgument names the unknown or incomplete option.
model::Result<Args> parse_args(const std::vector<std::string>& words, const ArgSpec& spec);

// Parses a non-negative integer option; kInvalidArgument names the option.
model::Result<std::uint64_t> parse_count(const std::string& name, const std::string& value);

// Splits "a,b,c" into its non-empty parts.
std::vector<std::string> split_commas(const std::string& s);

// Prints "folio: <message>" to stderr and returns the exit code for `error`.
int report(const model::Error& error);

}  // namespace folio::api::cli
