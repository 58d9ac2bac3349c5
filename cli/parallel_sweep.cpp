#include "cli/parallel_sweep.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/outcome_json.h"
#include "reports/report.h"
#include "sim/psp_route.h"

namespace reckon::cli {
namespace {

bool past_deadline(const SweepPlan& plan) {
  return plan.deadline && std::chrono::steady_clock::now() >= *plan.deadline;
}

sim::SeedOutcome run_position(const SweepPlan& plan, uint64_t k) {
  sim::RunConfig run = plan.run;
  run.seed = plan.seed_at(k);
  return sim::run_seed(run, plan.check_determinism);
}

[[noreturn]] void die(const std::string& message) {
  std::cerr << "reckon sweep: " << message << "\n";
  std::abort();
}

// Hands outcomes to the caller in position order: an outcome waits until every earlier
// position has arrived, or is known never to come (flush at the end).
class InOrder {
 public:
  InOrder(const std::function<void(const sim::SeedOutcome&)>& on_seed, bool keep)
      : on_seed_(on_seed), keep_(keep) {}
  void arrived(uint64_t k, sim::SeedOutcome outcome) {
    pending_.emplace(k, std::move(outcome));
    while (!pending_.empty() && pending_.begin()->first == next_) release();
  }
  void flush() {
    while (!pending_.empty()) release();
  }
  sim::SweepResult take() { return std::move(done_); }
  uint64_t released() const { return released_; }

 private:
  void release() {
    auto it = pending_.begin();
    next_ = it->first + 1;
    sim::SeedOutcome outcome = std::move(it->second);
    pending_.erase(it);
    ++released_;
    if (on_seed_) on_seed_(outcome);
    if (keep_) done_.seeds.push_back(std::move(outcome));
  }
  const std::function<void(const sim::SeedOutcome&)>& on_seed_;
  const bool keep_;
  std::map<uint64_t, sim::SeedOutcome> pending_;
  uint64_t next_ = 0;
  uint64_t released_ = 0;
  sim::SweepResult done_;
};

// What a sweep's report never shows, dropped once the seed is done so that memory does not
// grow with the number of seeds: the same fields the worker processes' JSON lines omit.
void drop_unreported(sim::RunResult& result) {
  result.decisions = {};
  result.crash_point_passes = {};
  result.trace = {};
}

void write_all(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) std::_Exit(71);  // the parent is gone; nobody is left to tell
    off += static_cast<size_t>(n);
  }
}

// The worker's whole life: its share of positions, one JSON line each, then _exit (no
// atexit handlers, no flushing of stdio buffers inherited from the parent).
[[noreturn]] void worker_main(const SweepPlan& plan, int worker, int fd) {
  const reports::ReplayContext no_replay;  // replay commands are rebuilt by the parent
  for (uint64_t k = static_cast<uint64_t>(worker); k < plan.count;
       k += static_cast<uint64_t>(plan.jobs)) {
    if (past_deadline(plan)) break;
    nlohmann::json line;
    try {
      line = {{"k", k}, {"run", reports::run_json(run_position(plan, k), no_replay)}};
    } catch (const sim::ExternalPartError& e) {
      // The parent stops the sweep with this message, as --jobs 1 would.
      write_all(fd, nlohmann::json{{"k", k}, {"external_part_error", e.what()}}.dump() + "\n");
      break;
    }
    write_all(fd, line.dump() + "\n");
  }
  ::close(fd);
  std::_Exit(0);
}

struct Worker {
  pid_t pid = -1;
  int fd = -1;
  std::string buffer;
};

// Kills every worker and reaps it: the sweep stops (an external part broke its contract).
void stop_workers(std::vector<Worker>& workers) {
  for (auto& w : workers) {
    if (w.fd >= 0) ::close(w.fd);
    w.fd = -1;
    ::kill(w.pid, SIGKILL);
    int status = 0;
    while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

// Reads every worker's lines until all pipes close, handing outcomes to `order`.
void collect(std::vector<Worker>& workers, InOrder& order) {
  size_t open = workers.size();
  std::vector<pollfd> polls;
  char chunk[1 << 16];
  while (open > 0) {
    polls.clear();
    for (const auto& w : workers) polls.push_back({w.fd, POLLIN, 0});
    if (::poll(polls.data(), polls.size(), -1) < 0) {
      if (errno == EINTR) continue;
      die("poll() failed");
    }
    for (size_t i = 0; i < workers.size(); ++i) {
      Worker& w = workers[i];
      if (w.fd < 0 || polls[i].revents == 0) continue;
      const ssize_t n = ::read(w.fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ::close(w.fd);
        w.fd = -1;
        --open;
        continue;
      }
      w.buffer.append(chunk, static_cast<size_t>(n));
      size_t start = 0;
      for (size_t nl; (nl = w.buffer.find('\n', start)) != std::string::npos; start = nl + 1) {
        const auto line = nlohmann::json::parse(w.buffer.begin() + static_cast<long>(start),
                                                w.buffer.begin() + static_cast<long>(nl));
        if (line.contains("external_part_error")) {
          throw sim::ExternalPartError(line["external_part_error"].get<std::string>());
        }
        order.arrived(line.at("k").get<uint64_t>(), reports::outcome_from_json(line.at("run")));
      }
      w.buffer.erase(0, start);
    }
    // poll() reports a closed pipe as POLLHUP with fd still >= 0; read() returns 0 then.
  }
}

PlanResult run_in_process(const SweepPlan& plan,
                          const std::function<void(const sim::SeedOutcome&)>& on_seed) {
  PlanResult out;
  out.planned = plan.count;
  for (uint64_t k = 0; k < plan.count && !past_deadline(plan); ++k) {
    sim::SeedOutcome outcome = run_position(plan, k);
    ++out.ran;
    if (on_seed) on_seed(outcome);
    if (!plan.keep_outcomes) continue;
    drop_unreported(outcome.result);
    out.sweep.seeds.push_back(std::move(outcome));
  }
  return out;
}

}  // namespace

PlanResult run_plan(const SweepPlan& plan,
                    const std::function<void(const sim::SeedOutcome&)>& on_seed) {
  const int jobs = static_cast<int>(std::min<uint64_t>(plan.jobs, plan.count));
  if (jobs <= 1) return run_in_process(plan, on_seed);

  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  std::vector<Worker> workers(static_cast<size_t>(jobs));
  for (int w = 0; w < jobs; ++w) {
    int fds[2];
    if (::pipe(fds) != 0) die("pipe() failed");
    const pid_t pid = ::fork();
    if (pid < 0) die("fork() failed");
    if (pid == 0) {
      ::close(fds[0]);
      for (int prev = 0; prev < w; ++prev) ::close(workers[static_cast<size_t>(prev)].fd);
      SweepPlan mine = plan;
      mine.jobs = jobs;
      worker_main(mine, w, fds[1]);
    }
    ::close(fds[1]);
    workers[static_cast<size_t>(w)].pid = pid;
    workers[static_cast<size_t>(w)].fd = fds[0];
  }

  InOrder order(on_seed, plan.keep_outcomes);
  try {
    collect(workers, order);
  } catch (...) {
    // An external part broke its contract, a worker's line was not JSON, or the run log
    // could not be written: no worker outlives the sweep.
    stop_workers(workers);
    throw;
  }
  for (auto& w : workers) {
    int status = 0;
    while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      die("a worker process died (" +
          (WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status))
                               : "exit " + std::to_string(WEXITSTATUS(status))) +
          "); rerun with --jobs 1 to see it in one process");
    }
  }
  order.flush();
  PlanResult out;
  out.planned = plan.count;
  out.ran = order.released();
  out.sweep = order.take();
  return out;
}

}  // namespace reckon::cli
