#include "reports/run_log.h"

#include <fcntl.h>
#include <stdio.h>  // getline
#include <sys/types.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace reckon::reports {

namespace {

// An anonymous file in $TMPDIR (else /tmp): made, then unlinked at once, so nothing is left
// behind however the process ends. std::tmpfile() would ignore TMPDIR.
std::FILE* anonymous_file() {
  const char* env = std::getenv("TMPDIR");
  const std::string dir = env != nullptr && *env != 0 ? env : "/tmp";
  std::string path = dir + "/reckon-runs-XXXXXX";
  // Close-on-exec: an --adapter's shell has no business with the runs.
  const int fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) {
    throw RunLogError("cannot make a temporary file for the runs in " + dir + ": " +
                      std::strerror(errno) + " (set TMPDIR to a writable directory)");
  }
  ::unlink(path.c_str());
  std::FILE* file = ::fdopen(fd, "w+");
  if (file == nullptr) {
    ::close(fd);
    throw RunLogError(std::string("cannot open the temporary file for the runs: ") +
                      std::strerror(errno));
  }
  return file;
}

}  // namespace

RunLog::RunLog() : file_(anonymous_file()) {}

RunLog::~RunLog() {
  std::fclose(file_);
}

void RunLog::append(const nlohmann::json& run) {
  const std::string line = run.dump() + "\n";
  if (std::fseek(file_, 0, SEEK_END) != 0 ||
      std::fwrite(line.data(), 1, line.size(), file_) != line.size()) {
    throw RunLogError(std::string("cannot write a run to the temporary file: ") +
                      std::strerror(errno));
  }
  ++count_;
}

void RunLog::for_each(const RunVisitor& visit) const {
  if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0) {
    throw RunLogError(std::string("cannot read the runs back: ") + std::strerror(errno));
  }
  char* buffer = nullptr;
  size_t capacity = 0;
  uint64_t seen = 0;
  bool whole_lines = true;
  for (ssize_t n; (n = ::getline(&buffer, &capacity, file_)) > 0;) {
    // Every appended run ends with a newline: one without is a broken temporary file.
    whole_lines = buffer[n - 1] == '\n';
    if (!whole_lines) break;
    try {
      visit(nlohmann::json::parse(buffer, buffer + n - 1));
    } catch (...) {
      std::free(buffer);
      throw;
    }
    ++seen;
  }
  std::free(buffer);
  if (seen != count_ || !whole_lines) {
    throw RunLogError("the temporary file of runs was cut short");
  }
}

void for_each_run(const nlohmann::json& report, const RunLog* log, const RunVisitor& visit) {
  if (log != nullptr && !report.contains("runs")) return log->for_each(visit);
  // A report without runs and without their log is malformed: at() throws, as it always did.
  for (const auto& run : report.at("runs")) visit(run);
}

uint64_t run_count(const nlohmann::json& report, const RunLog* log) {
  if (log != nullptr && !report.contains("runs")) return log->size();
  return report.at("runs").size();
}

void write_report_json(std::ostream& out, const nlohmann::json& report, const RunLog* log) {
  if (report.contains("runs") || log == nullptr || log->size() == 0) {
    nlohmann::json whole = report;
    if (!whole.contains("runs")) whole["runs"] = nlohmann::json::array();
    out << whole.dump(2);
    return;
  }
  // Dump the report with an empty runs array and splice the runs in its place. The top-level
  // key is found with its newline and indentation: a JSON string never holds a raw newline.
  nlohmann::json skeleton = report;
  skeleton["runs"] = nlohmann::json::array();
  const std::string text = skeleton.dump(2);
  const std::string key = "\n  \"runs\": []";
  const size_t at = text.find(key);
  assert(at != std::string::npos);
  out.write(text.data(), static_cast<std::streamsize>(at));
  out << "\n  \"runs\": [";
  bool first = true;
  log->for_each([&](const nlohmann::json& run) {
    // An element of a top-level array, as dump(2) indents it: four spaces more per line.
    std::string element = first ? "\n    " : ",\n    ";
    first = false;
    for (const char c : run.dump(2)) {
      element.push_back(c);
      if (c == '\n') element += "    ";
    }
    out << element;
  });
  out << "\n  ]";
  out << text.substr(at + key.size());
}

}  // namespace reckon::reports
