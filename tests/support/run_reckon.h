#pragma once
// Runs the reckon binary under test (RECKON_BINARY) through the shell and captures its
// exit code and output; for tests of the command's contract.

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace reckon::testing {

struct ReckonResult {
  int exit_code = -1;
  std::string output;  // stdout, and stderr unless the caller redirected it
};

// `args` is passed through the shell as written; stderr is merged unless `keep_stderr`.
inline ReckonResult run_reckon(const std::string& args, bool merge_stderr = true) {
  const std::string command =
      std::string(RECKON_BINARY) + " " + args + (merge_stderr ? " 2>&1" : " 2>/dev/null");
  ReckonResult r;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.output.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Unique per process: ctest runs each test in its own process, several at once.
inline std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "reckon-" + std::to_string(::getpid()) + "-" + name;
}

}  // namespace reckon::testing
