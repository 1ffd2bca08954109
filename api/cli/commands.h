// commands.h: the subcommands of the folio command line, one file each.
#pragma once

#include <string>
#include <vector>

namespace folio::api::cli {

// Each takes the words after the subcommand name and returns the exit code.
int cmd_init(const std::vector<std::string>& words);
int cmd_lists(const std::vector<std::string>& words);
int cmd_import(const std::vector<std::string>& words);
int cmd_search(const std::vector<std::string>& words);
int cmd_show(const std::vector<std::string>& words);
int cmd_thread(const std::vector<std::string>& words);
int cmd_stats(const std::vector<std::string>& words);
int cmd_deliver(const std::vector<std::string>& words);
int cmd_indexd(const std::vector<std::string>& words);
int cmd_status(const std::vector<std::string>& words);
int cmd_serve(const std::vector<std::string>& words);
int cmd_reindex(const std::vector<std::string>& words);
int cmd_compact(const std::vector<std::string>& words);
int cmd_check(const std::vector<std::string>& words);
int cmd_backup(const std::vector<std::string>& words);
int cmd_restore(const std::vector<std::string>& words);
int cmd_remove(const std::vector<std::string>& words);

}  // namespace folio::api::cli
