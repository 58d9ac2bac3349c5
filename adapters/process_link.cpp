#include "adapters/process_link.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace reckon::adapters {
namespace {

// One line longer than this is refused: a settlement report of a whole day fits easily.
constexpr size_t kMaxLineBytes = 16 * 1024 * 1024;
// What take_stderr() holds at most between two calls; the rest is still passed on.
constexpr size_t kMaxHeldStderrBytes = 4 * 1024 * 1024;

std::string errno_text() {
  return std::strerror(errno);
}

}  // namespace

std::string abbreviate(const std::string& line) {
  // The line is the adapter's raw bytes: anything but printable ASCII is written as \xNN, so
  // the quote is valid UTF-8 wherever it goes (console, JSON report, JUnit XML) even when the
  // line is not, or when the cut falls inside a character.
  constexpr size_t kShown = 200;
  std::string out;
  for (size_t i = 0; i < line.size() && i < kShown; ++i) {
    const auto byte = static_cast<unsigned char>(line[i]);
    if (byte >= 0x20 && byte < 0x7f && byte != '\\') {
      out += static_cast<char>(byte);
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  if (line.size() > kShown) out += "... (" + std::to_string(line.size()) + " bytes)";
  return out;
}

ProcessLink::ProcessLink(const std::string& command, int reply_timeout_ms, int start_timeout_ms)
    : command_(command), reply_timeout_ms_(reply_timeout_ms), start_timeout_ms_(start_timeout_ms) {
  // A write to an adapter that died must be an error, not a signal that kills the harness.
  ::signal(SIGPIPE, SIG_IGN);
  start();
}

bool ProcessLink::restart() {
  kill_now();
  buffer_.clear();
  last_line_.clear();
  answered_once_ = false;  // the new process gets the start timeout for its first answer
  start();
  return true;
}

void ProcessLink::start() {
  const std::string& command = command_;
  int in_pipe[2];
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) throw AdapterError("cannot create a pipe: " + errno_text());
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    throw AdapterError("cannot create a pipe: " + errno_text());
  }
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1]}) ::close(fd);
    throw AdapterError("cannot create a pipe: " + errno_text());
  }
  // posix_spawn, not fork: a fork marks the whole simulation's heap copy-on-write, and the
  // engine restarts its adapter after every crash, so each start would cost a page fault per
  // page the simulation then writes. The pipes are close-on-exec; dup2 clears that on 0-2.
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  ::posix_spawnattr_init(&attributes);
  // Its own process group, so a kill reaches whatever the shell started.
  ::posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  ::posix_spawnattr_setpgroup(&attributes, 0);
  std::string shell = "sh";
  std::string dash_c = "-c";
  std::string command_text = command;
  char* argv[] = {shell.data(), dash_c.data(), command_text.data(), nullptr};
  const int spawned = ::posix_spawn(&pid_, "/bin/sh", &actions, &attributes, argv, environ);
  ::posix_spawn_file_actions_destroy(&actions);
  ::posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    pid_ = -1;
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
      ::close(fd);
    }
    throw AdapterError(std::string("cannot start the adapter: posix_spawn: ") +
                       std::strerror(spawned));
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  to_child_ = in_pipe[1];
  from_child_ = out_pipe[0];
  // Never blocks: stderr is drained whenever the harness waits, and between operations.
  ::fcntl(err_pipe[0], F_SETFL, ::fcntl(err_pipe[0], F_GETFL) | O_NONBLOCK);
  err_from_child_ = err_pipe[0];
}

ProcessLink::~ProcessLink() {
  kill_now();
}

void ProcessLink::kill_now() {
  if (to_child_ >= 0) ::close(to_child_);
  if (from_child_ >= 0) ::close(from_child_);
  to_child_ = from_child_ = -1;
  if (pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  drain_stderr();  // its last words (a traceback) still reach the user
  if (err_from_child_ >= 0) ::close(err_from_child_);
  err_from_child_ = -1;
}

void ProcessLink::drain_stderr() {
  if (err_from_child_ < 0) return;
  char chunk[65536];
  for (;;) {
    const ssize_t n = ::read(err_from_child_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // EAGAIN: nothing more for now; 0: the adapter closed it
    // Passed on as it came, so the user sees the adapter's logs where they always did.
    for (ssize_t done = 0; done < n;) {
      const ssize_t w = ::write(STDERR_FILENO, chunk + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) break;
      done += w;
    }
    const size_t room = kMaxHeldStderrBytes - std::min(kMaxHeldStderrBytes, stderr_held_.size());
    stderr_held_.append(chunk, std::min(room, static_cast<size_t>(n)));
  }
}

std::string ProcessLink::take_stderr() {
  drain_stderr();
  std::string out;
  out.swap(stderr_held_);
  return out;
}

void ProcessLink::finish() {
  if (pid_ <= 0) return;
  try {
    write_line(nlohmann::json{{"type", "bye"}}.dump(), "nothing (bye)");
  } catch (const AdapterError&) {
    // Already gone: nothing left to say goodbye to.
  }
  ::close(to_child_);
  to_child_ = -1;
  for (int i = 0; i < 50; ++i) {  // up to 500 ms of grace
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
      ::kill(-pid_, SIGKILL);
      pid_ = -1;
      break;
    }
    ::usleep(10'000);
  }
  kill_now();
}

std::string ProcessLink::exit_description() {
  int status = 0;
  // The adapter closed stdout; give it a moment to finish exiting.
  for (int i = 0; i < 100; ++i) {
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      if (WIFEXITED(status))
        return "the adapter exited with status " + std::to_string(WEXITSTATUS(status));
      if (WIFSIGNALED(status))
        return "the adapter was killed by signal " + std::to_string(WTERMSIG(status));
      return "the adapter ended";
    }
    ::usleep(5'000);
  }
  return "the adapter closed its stdout";
}

void ProcessLink::write_line(const std::string& line, const std::string& waiting_for) {
  std::string out = line + "\n";
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::write(to_child_, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      throw AdapterError(exit_description() + " (its stdin is closed: " + errno_text() +
                         ") before the harness could send what precedes " + waiting_for);
    }
    done += static_cast<size_t>(n);
  }
}

bool ProcessLink::fill(int timeout_ms, const std::string& waiting_for) {
  // stderr is watched too: an adapter blocked on a full stderr pipe would never answer.
  pollfd p[2] = {{from_child_, POLLIN, 0}, {err_from_child_, POLLIN, 0}};
  const nfds_t watched = err_from_child_ >= 0 ? 2 : 1;
  const int ready = ::poll(p, watched, timeout_ms);
  if (ready < 0 && errno == EINTR) return true;
  if (ready < 0) throw AdapterError("poll on the adapter's stdout failed: " + errno_text());
  if (ready == 0) return true;
  if (watched == 2 && p[1].revents != 0) {
    drain_stderr();
    if (p[1].revents & (POLLHUP | POLLERR)) {
      ::close(err_from_child_);  // closed by the adapter: watch stdout alone from now on
      err_from_child_ = -1;
    }
  }
  if (p[0].revents == 0) return true;
  char chunk[65536];
  const ssize_t n = ::read(from_child_, chunk, sizeof chunk);
  if (n < 0 && errno == EINTR) return true;
  if (n < 0) throw AdapterError("reading the adapter's stdout failed: " + errno_text());
  if (n == 0) return false;
  buffer_.append(chunk, static_cast<size_t>(n));
  if (buffer_.size() > kMaxLineBytes && buffer_.find('\n') == std::string::npos) {
    throw AdapterError("the adapter wrote a line longer than 16 MiB while the harness waited for " +
                       waiting_for);
  }
  return true;
}

std::string ProcessLink::read_line(const std::string& waiting_for) {
  using Clock = std::chrono::steady_clock;
  const int timeout_ms = answered_once_ ? reply_timeout_ms_ : start_timeout_ms_;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    const size_t eol = buffer_.find('\n');
    if (eol != std::string::npos) {
      std::string line = buffer_.substr(0, eol);
      buffer_.erase(0, eol + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      throw AdapterError(
          "the adapter did not answer within " + std::to_string(timeout_ms) +
          " ms while the harness waited for " + waiting_for +
          (buffer_.empty() ? "" : " (it wrote a partial line: " + abbreviate(buffer_) + ")"));
    }
    if (!fill(static_cast<int>(left), waiting_for)) {
      throw AdapterError(
          exit_description() + " while the harness waited for " + waiting_for +
          (buffer_.empty() ? "" : " (after a partial line: " + abbreviate(buffer_) + ")"));
    }
  }
}

nlohmann::json ProcessLink::exchange(const nlohmann::json& message,
                                     const std::string& waiting_for) {
  if (pid_ <= 0 && to_child_ < 0) throw AdapterError("the adapter is not running");
  // INVARIANT: the adapter speaks only when spoken to. Anything already waiting now was
  // written out of turn (a line after its last answer, or unasked). A line that came with
  // the last answer is in the buffer; one written later is looked for at the turns between
  // operations (a poll per message would cost a system call on every round trip).
  const std::string type = message.value("type", std::string("?"));
  const bool within_operation =
      type == "http_response" || type == "http_timeout" || type == "waited";
  if (buffer_.empty() && !within_operation) (void)fill(0, waiting_for);
  if (!buffer_.empty()) {
    const size_t eol = buffer_.find('\n');
    throw AdapterError("the adapter wrote out of turn, before the harness sent its next '" +
                       message.value("type", std::string("?")) +
                       "': " + abbreviate(buffer_.substr(0, eol)));
  }
  write_line(message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), waiting_for);
  last_line_ = read_line(waiting_for);
  answered_once_ = true;
  return parse_adapter_answer(last_line_, waiting_for);
}

nlohmann::json parse_adapter_answer(const std::string& line, const std::string& waiting_for) {
  nlohmann::json answer = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (answer.is_discarded()) {
    // Parse again with exceptions only to get the parser's description of the problem.
    std::string why = "not JSON";
    try {
      const nlohmann::json ignored = nlohmann::json::parse(line);
      (void)ignored;
    } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e400
      why = abbreviate(e.what());  // it quotes the bytes last read, which need not be UTF-8
    }
    throw AdapterError("the adapter's answer (expected: " + waiting_for + ") is not JSON: " + why +
                       ": " + abbreviate(line));
  }
  if (!answer.is_object()) {
    throw AdapterError("the adapter's answer (expected: " + waiting_for +
                       ") is not a JSON object: " + abbreviate(line));
  }
  auto answer_type = answer.find("type");
  if (answer_type == answer.end() || !answer_type->is_string()) {
    throw AdapterError("the adapter's answer (expected: " + waiting_for +
                       ") has no string field 'type': " + abbreviate(line));
  }
  return answer;
}

}  // namespace reckon::adapters
