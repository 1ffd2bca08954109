// run.cc: child processes for integration tests, through /bin/sh and temp files.
#include "tests/support/run.h"

#include <sys/wait.h>

#include <cstdlib>

#include "tests/support/corpus.h"
#include "tests/support/temp_dir.h"

namespace folio::testing {

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

RunResult run_folio(const std::vector<std::string>& args, const std::string& home,
                    const std::string& input) {
  std::string cmd;
  if (!home.empty()) cmd = "FOLIO_HOME=" + shell_quote(home) + " ";
  cmd += shell_quote(folio_binary().string());
  for (const auto& a : args) cmd += " " + shell_quote(a);
  return run_shell(cmd, input);
}

}  // namespace folio::testing
