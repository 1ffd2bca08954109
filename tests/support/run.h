// run.h: runs the real folio binary (or any command) and captures what it printed.
#pragma once

#include <string>
#include <vector>

namespace folio::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `folio ARGS...` with `input` on stdin; environment as the test's,
// plus FOLIO_HOME=home when home is not empty.
RunResult run_folio(const std::vector<std::string>& args, const std::string& home = "",
                    const std::string& input = "");

// The two programs that deliver a piped message, with one implementation:
// "folio deliver" (a subcommand of the folio binary) and "folio-deliver" (the
// small program for MTA pipes). Tests of delivery run against each, e.g.
// `const std::string program = GENERATE(from_range(kDeliverPrograms));`.
inline const std::vector<std::string> kDeliverPrograms = {"folio deliver", "folio-deliver"};

// The shell words that start `program` (one of kDeliverPrograms), quoted.
std::string deliver_command(const std::string& program);

// Runs `program ARGS...` (one of kDeliverPrograms) like run_folio.
RunResult run_deliver(const std::string& program, const std::vector<std::string>& args,
                      const std::string& home = "", const std::string& input = "");

// Runs a shell command line; stdin from `input`.
RunResult run_shell(const std::string& command, const std::string& input = "");

// Quotes a word for /bin/sh.
std::string shell_quote(const std::string& word);

// How many times slower than a Release build the programs under test run:
// FOLIO_TEST_SLOWDOWN, a whole number from 1 to 20 (default 1; anything else
// counts as 1). scripts/test-sanitized.sh sets it, as every process it starts
// pays for ASan's start-up and checks. Tests multiply the time budgets of
// work that spawns hundreds of processes by it; a budget still bounds them.
int test_slowdown();

}  // namespace folio::testing
