#pragma once
// reckon adapter-check (docs/adapters.md): 0 every behaviour passed, 1 some failed, 2 bad
// input or a bad adapter (could not start, broke the protocol, crashed, hung).

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace reckon::cli {

struct AdapterCheckOptions {
  std::string adapter;  // run with /bin/sh -c
  std::string seeds = "1..10";
  std::string report;  // '' for none
  std::string junit;   // '' for none
  int reply_timeout_ms = 10'000;
  int start_timeout_ms = 30'000;  // for the handshake
  std::vector<std::string> only;
  bool list = false;
  int bench = 0;  // > 0: measure payments per second instead of checking
};

CLI::App* add_adapter_check_command(CLI::App& app, AdapterCheckOptions& o);
int do_adapter_check(const AdapterCheckOptions& o);

}  // namespace reckon::cli
