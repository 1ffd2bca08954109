// command_line.cc: argument parsing and error reporting.
#include "api/cli/command_line.h"

#include <charconv>
#include <iostream>

namespace folio::api::cli {

using model::Code;
using model::Err;

std::string Args::get(const std::string& name, const std::string& fallback) const {
  auto it = values.find(name);
  return it == values.end() ? fallback : it->second;
}

model::Result<Args> parse_args(const std::vector<std::string>& words, const ArgSpec& spec) {
  Args args;
  bool options_done = false;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (options_done || w.size() < 3 || w.compare(0, 2, "--") != 0) {
      if (w == "--") {
        options_done = true;
        continue;
      }
      args.positional.push_back(w);
      continue;
    }
    std::string name = w.substr(2);
    std::string value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    if (spec.flag_options.count(name) && !inline_value) {
      args.flags.insert(name);
    } else if (spec.value_options.count(name)) {
      if (!inline_value) {
        if (i + 1 >= words.size()) return Err(Code::kInvalidArgument, "--" + name + " needs a value");
        value = words[++i];
      }
      args.values[name] = value;
    } else {
      return Err(Code::kInvalidArgument, "unknown option --" + name);
    }
  }
  return args;
}

model::Result<std::uint64_t> parse_count(const std::string& name, const std::string& value) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || end != value.data() + value.size() || value.empty()) {
    return Err(Code::kInvalidArgument, "--" + name + " must be a whole number, not '" + value + "'");
  }
  return v;
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    std::string part = s.substr(start, comma - start);
    while (!part.empty() && part.front() == ' ') part.erase(part.begin());
    while (!part.empty() && part.back() == ' ') part.pop_back();
    if (!part.empty()) out.push_back(part);
    start = comma + 1;
  }
  return out;
}

int report(const model::Error& error) {
  std::cerr << "folio: " << error.message << "\n";
  return error.code == Code::kInvalidArgument ? kExitUsage : kExitFailure;
}

}  // namespace folio::api::cli
