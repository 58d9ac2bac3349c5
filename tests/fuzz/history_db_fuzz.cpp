// Fuzz target: the run-history database `reckon history --db FILE` reads
// (reports/history.h): the input's bytes are written to one mkstemp file (made once per
// process; its -journal/-wal/-shm companions are removed before each input), opened with
// reports::History::open(path, create=false), then read as cli/history_command.cpp does:
// sweeps(20), latest_sweep(), compare(latest), seed_record(1, "") and (1, "default"), each
// dumped as the command prints it (nlohmann dump(2)), and print_history_comparison.
// Must hold: no crash, no UB, no leak, no uncaught exception; a file that is not a history
// database (any SQLite file of arbitrary bytes) is refused with a clear error naming it.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "reports/history.h"
#include "tests/fuzz/input_file.h"

namespace {

[[noreturn]] void fail(const char* why) {
  std::fprintf(stderr, "fuzz history_db: %s\n", why);
  std::abort();
}

// Static: destroyed (file removed) at exit, after the last input.
const std::string& write_input(const uint8_t* data, size_t size) {
  static reckon::fuzz::InputFile file("reckon-fuzz-history");
  return file.write(data, size);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace reports = reckon::reports;
  const std::string& path = write_input(data, size);
  std::string error;
  auto history = reports::History::open(path, /*create=*/false, error);
  if (!history) {
    if (error.find(path) == std::string::npos) fail("a refusal that does not name the file");
    return 0;
  }
  // `reckon history --db FILE --seed 1 [--scenario default]`
  for (const char* scenario : {"", "default"}) {
    const nlohmann::json record = history->seed_record(1, scenario);
    (void)nlohmann::json({{"seed", 1}, {"scenario", scenario}, {"results", record}})
        .dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  // `reckon history --db FILE`
  nlohmann::json out = {{"sweeps", history->sweeps(20)}};
  const auto latest = history->latest_sweep();
  out["latest"] = latest ? history->compare(*latest) : nlohmann::json(nullptr);
  (void)out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  if (latest) {
    std::ostringstream text;
    reports::print_history_comparison(text, out["latest"]);
  }
  return 0;
}
