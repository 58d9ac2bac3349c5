// reckon list: every scenario of the library with its one-line description.
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/scenario_select.h"

namespace reckon::cli {

int do_list(const std::string& folder) {
  std::string error;
  auto library = load_library(folder, error);
  if (!library) {
    std::cerr << "reckon list: " << error << "\n";
    return kExitBadInput;
  }
  std::string current;
  for (const auto& entry : *library) {
    if (entry.folder != current) {
      current = entry.folder;
      std::cout << current << "/\n";
    }
    std::string name = entry.scenario.name;
    name.resize(std::max<size_t>(name.size(), 34), ' ');
    std::cout << "  " << name << " " << entry.scenario.description << "\n";
  }
  return kExitPassed;
}

}  // namespace reckon::cli
