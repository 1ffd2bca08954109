// run.cc: child processes for integration tests, through /bin/sh and temp files.
#include "tests/support/run.h"

#include <sys/wait.h>

#include <cstdlib>
#include <stdexcept>

#include "tests/support/corpus.h"
#include "tests/support/temp_dir.h"

namespace folio::testing {

int test_slowdown() {
  const char* env = std::getenv("FOLIO_TEST_SLOWDOWN");
  if (env == nullptr) return 1;
  char* end = nullptr;
  long n = std::strtol(env, &end, 10);
  if (end == env || *end != '\0' || n < 1 || n > 20) return 1;
  return static_cast<int>(n);
}

std::string shell_quote(const std::string& word) {
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

RunResult run_shell(const std::string& command, const std::string& input) {
  TempDir dir;
  write_file(dir.path() / "in", input);
  std::string line = "(" + command + ") <" + shell_quote(dir.sub("in")) + " >" +
                     shell_quote(dir.sub("out")) + " 2>" + shell_quote(dir.sub("err"));
  int status = std::system(line.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(dir.path() / "out");
  r.err = read_file(dir.path() / "err");
  return r;
}

namespace {

// `FOLIO_HOME=home command args...`, each argument quoted.
RunResult run_in_home(const std::string& command, const std::vector<std::string>& args,
                      const std::string& home, const std::string& input) {
  std::string cmd;
  if (!home.empty()) cmd = "FOLIO_HOME=" + shell_quote(home) + " ";
  cmd += command;
  for (const auto& a : args) cmd += " " + shell_quote(a);
  return run_shell(cmd, input);
}

}  // namespace

RunResult run_folio(const std::vector<std::string>& args, const std::string& home,
                    const std::string& input) {
  return run_in_home(shell_quote(folio_binary().string()), args, home, input);
}

std::string deliver_command(const std::string& program) {
  if (program == "folio-deliver") return shell_quote(folio_deliver_binary().string());
  if (program == "folio deliver") return shell_quote(folio_binary().string()) + " deliver";
  throw std::invalid_argument("not a delivery program: " + program);
}

RunResult run_deliver(const std::string& program, const std::vector<std::string>& args,
                      const std::string& home, const std::string& input) {
  return run_in_home(deliver_command(program), args, home, input);
}

}  // namespace folio::testing
