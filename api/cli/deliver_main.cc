// deliver_main.cc: folio-deliver, `folio deliver` as a program of its own for MTA pipes.
// It runs the same cmd_deliver as `folio deliver` (same options, exit codes and
// messages) but links only the config reader and the spool, so it starts in a
// fraction of the time of the folio binary with its Xapian, RocksDB, ICU and Boost.
#include <string>
#include <vector>

#include "api/cli/commands.h"

int main(int argc, char** argv) {
  return folio::api::cli::cmd_deliver(std::vector<std::string>(argv + 1, argv + argc));
}
