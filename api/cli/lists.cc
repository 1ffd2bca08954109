// lists.cc: `folio lists`: show, add and change the archive's lists.
#include <iomanip>
#include <iostream>

#include <boost/json.hpp>

#include "api/cli/command_line.h"
#include "api/cli/commands.h"
#include "api/cli/home_access.h"

namespace folio::api::cli {

namespace {

using model::Code;
using model::Err;

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

int print_lists(const index::Config& config, bool json) {
  if (json) {
    boost::json::array arr;
    for (const auto& l : config.lists) {
      boost::json::array access;
      for (const auto& g : l.access) access.emplace_back(g);
      arr.push_back(boost::json::object{{"name", l.name}, {"title", l.title},
                                        {"list_id", l.list_id}, {"access", access}});
    }
    std::cout << boost::json::serialize(boost::json::object{{"lists", arr}}) << "\n";
    return kExitOk;
  }
  std::cout << std::left << std::setw(24) << "NAME" << std::setw(32) << "LIST-ID" << "ACCESS  TITLE\n";
  for (const auto& l : config.lists) {
    std::cout << std::setw(24) << l.name << std::setw(32) << (l.list_id.empty() ? "-" : l.list_id)
              << (l.access.empty() ? "(nobody)" : join(l.access)) << "  " << l.title << "\n";
  }
  return kExitOk;
}

model::Result<std::vector<std::string>> parse_grants(const std::string& text) {
  auto grants = split_commas(text);
  for (const auto& g : grants) FOLIO_TRY(index::validate_grant(g));
  return grants;
}

model::Status add_list(index::Config& config, const Args& args) {
  if (args.positional.size() != 2) return Err(Code::kInvalidArgument, "usage: folio lists add NAME [--title T] [--list-id ID] [--access G,...]");
  const std::string& name = args.positional[1];
  FOLIO_TRY(index::validate_list_name(name));
  if (config.find_list(name)) return Err(Code::kInvalidArgument, "list '" + name + "' already exists");
  index::ListConfig list;
  list.name = name;
  list.title = args.get("title", name);
  list.list_id = args.get("list-id");
  auto grants = parse_grants(args.get("access", "public"));
  FOLIO_TRY(grants);
  list.access = grants.value();
  config.lists.push_back(list);
  return {};
}

model::Status set_access(index::Config& config, const Args& args) {
  if (args.positional.size() != 3) return Err(Code::kInvalidArgument, "usage: folio lists set-access NAME G,...");
  index::ListConfig* list = config.find_list(args.positional[1]);
  if (!list) return Err(Code::kNotFound, "no list named '" + args.positional[1] + "'");
  auto grants = parse_grants(args.positional[2]);
  FOLIO_TRY(grants);
  list->access = grants.value();
  return {};
}

}  // namespace

int cmd_lists(const std::vector<std::string>& words) {
  auto args = parse_args(words, {{"home", "title", "list-id", "access"}, {"json"}});
  if (!args.ok()) return report(args.error());
  auto home = existing_home(args.value());
  if (!home.ok()) return report(home.error());
  auto config = load_home_config(home.value());
  if (!config.ok()) return report(config.error());
  if (args->positional.empty()) return print_lists(config.value(), args->has("json"));
  const std::string& verb = args->positional[0];
  model::Status changed;
  if (verb == "add") {
    changed = add_list(config.value(), args.value());
  } else if (verb == "set-access") {
    changed = set_access(config.value(), args.value());
  } else {
    changed = Err(Code::kInvalidArgument, "unknown lists command '" + verb + "' (add, set-access)");
  }
  if (!changed.ok()) return report(changed.error());
  if (auto s = index::save_config(home->config_file(), config.value()); !s.ok()) return report(s.error());
  std::cout << "lists: " << verb << " " << args->positional[1] << ": done\n";
  return kExitOk;
}

}  // namespace folio::api::cli
