// main.cc: the folio command line: a table of git-style subcommands.
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "api/cli/command_line.h"
#include "api/cli/commands.h"

namespace {

using folio::api::cli::kExitUsage;

struct Command {
  const char* name;
  int (*run)(const std::vector<std::string>&);
  const char* usage;
};

const Command kCommands[] = {
    {"init", folio::api::cli::cmd_init, "init [--home DIR]                      create an archive home"},
    {"lists", folio::api::cli::cmd_lists,
     "lists [--json] | lists add NAME [--title T] [--list-id ID] [--access G,...]\n"
     "        | lists set-access NAME G,...            show or manage lists"},
    {"import", folio::api::cli::cmd_import,
     "import --list NAME [--format mbox|maildir|pipermail|eml] PATH...   import mail"},
    {"search", folio::api::cli::cmd_search,
     "search [--list L] [--as G,...] [--sort relevance|date] [--offset N] [--limit N]\n"
     "        [--collapse] [--facets] [--count] [--json] QUERY   search the archive"},
    {"show", folio::api::cli::cmd_show, "show [--raw] [--as G,...] MESSAGE-ID     show one message"},
    {"thread", folio::api::cli::cmd_thread, "thread [--as G,...] MESSAGE-ID           show a thread as a tree"},
    {"stats", folio::api::cli::cmd_stats, "stats [--json]                          counts and sizes"},
    {"deliver", folio::api::cli::cmd_deliver,
     "deliver [--list NAME] < MESSAGE          spool one piped message (sysexits codes)"},
    {"indexd", folio::api::cli::cmd_indexd,
     "indexd [--once] [--commit-ms N]          drain the spool into store and index"},
    {"serve", folio::api::cli::cmd_serve,
     "serve [--bind 127.0.0.1:8080] [--threads N] [--jwt-secret-file F]   the HTTP service"},
    {"reindex", folio::api::cli::cmd_reindex,
     "reindex [--list NAME] [--since DATE] [--compact] [--grace S]  rebuild the index beside the live one"},
    {"compact", folio::api::cli::cmd_compact, "compact [--grace S]                     compact the index and swap it in"},
    {"check", folio::api::cli::cmd_check, "check [--repair]                        verify store and index agree"},
    {"backup", folio::api::cli::cmd_backup, "backup DIR                              consistent copy of a running archive"},
    {"restore", folio::api::cli::cmd_restore, "restore DIR                             restore a backup into an empty home"},
    {"remove", folio::api::cli::cmd_remove,
     "remove MESSAGE-ID --reason TEXT         take a message down for good (audited)"},
    {"status", folio::api::cli::cmd_status, "status [--json]                         spool, last commit, quarantine"},
};

void usage(std::ostream& out) {
  out << "usage: folio COMMAND [OPTIONS]\n"
      << "Every command takes --home DIR (default $FOLIO_HOME, else ./folio-data).\n\n";
  for (const auto& c : kCommands) out << "  folio " << c.usage << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "help") ||
      !std::strcmp(argv[1], "-h")) {
    usage(argc < 2 ? std::cerr : std::cout);
    return argc < 2 ? kExitUsage : 0;
  }
  std::vector<std::string> words(argv + 2, argv + argc);
  for (const auto& c : kCommands) {
    if (c.name == std::string(argv[1])) return c.run(words);
  }
  std::cerr << "folio: unknown command '" << argv[1] << "'\n";
  usage(std::cerr);
  return kExitUsage;
}
