#pragma once
// An adapter as a child process speaking JSON lines (docs/adapters.md): started once with
// /bin/sh -c COMMAND in its own process group, stdin, stdout and stderr piped. What the
// adapter writes to stderr is passed on to the harness's stderr as it comes, and also held
// for take_stderr() (the check that no card data reaches the adapter's logs).
// Every read has a wall-clock deadline; a line already waiting before the harness speaks
// is output out of turn. Process I/O lives here, outside engine/ and sim/, which stay
// deterministic and free of the OS.

#include <sys/types.h>

#include <string>

#include "adapters/link.h"

namespace reckon::adapters {

class ProcessLink : public AdapterLink {
 public:
  // Starts the adapter. Throws AdapterError when it cannot be started. The first answer (the
  // handshake) may take `start_timeout_ms`: interpreters and VMs start slowly.
  ProcessLink(const std::string& command, int reply_timeout_ms, int start_timeout_ms);
  ~ProcessLink() override;
  ProcessLink(const ProcessLink&) = delete;
  ProcessLink& operator=(const ProcessLink&) = delete;

  nlohmann::json exchange(const nlohmann::json& message, const std::string& waiting_for) override;
  std::string last_line() const override { return abbreviate(last_line_); }
  std::string take_stderr() override;
  // Kills the adapter (SIGKILL to its group) and starts the command again.
  bool restart() override;
  // Sends bye, closes stdin, waits a moment for the adapter to exit, then kills it; its
  // stderr is read to the end.
  void finish() override;

 private:
  void start();
  void write_line(const std::string& line, const std::string& waiting_for);
  std::string read_line(const std::string& waiting_for);
  // Reads what is available within `timeout_ms`; false at end of file.
  bool fill(int timeout_ms, const std::string& waiting_for);
  std::string exit_description();
  void kill_now();
  // Reads whatever stderr holds now, without blocking: passed on, and held (bounded).
  void drain_stderr();

  std::string command_;
  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  int err_from_child_ = -1;
  int reply_timeout_ms_;
  int start_timeout_ms_;
  bool answered_once_ = false;
  std::string buffer_;
  std::string last_line_;
  std::string stderr_held_;
};

}  // namespace reckon::adapters
