// reckon bugs: the defects --plant can plant, and the property expected to catch each.
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "engine/planted.h"

namespace reckon::cli {

int do_bugs() {
  for (const auto& d : engine::all_defects()) {
    std::cout << d.name << "\n  caught by: " << d.caught_by << "\n  " << d.description << "\n";
  }
  return kExitPassed;
}

}  // namespace reckon::cli
