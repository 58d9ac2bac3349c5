#pragma once
// The reckon subcommands. Each returns the process exit code (cli/exit_codes.h).

#include <cstdint>
#include <string>

#include "cli/common_options.h"

namespace reckon::cli {

int do_run(uint64_t seed, const CommonOptions& o, const std::string& trace_file);
int do_sweep(const std::string& seeds_text, const CommonOptions& o, const std::string& report);
int do_bugs();

}  // namespace reckon::cli
