// Fuzz target: a scenario file (docs/scenarios.md) as `reckon run --scenario FILE` reads it:
// faults::parse_scenario over the file's text (TOML via toml++, then the strict table
// readers of faults/scenario.cpp and the fault plan's validate()).
// Must hold: no crash, no UB, no leak; every refusal is a clear error (a ScenarioError with
// a message, naming the file); an accepted scenario has a description, valid ratios and a
// fault plan that validate() accepts.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "faults/fault_plan.h"
#include "faults/scenario.h"

namespace {

[[noreturn]] void fail(const char* why) {
  std::fprintf(stderr, "fuzz scenario_toml: %s\n", why);
  std::abort();
}

void check_ratio(const reckon::Ratio& r) {
  if (!r.valid()) fail("an accepted scenario holds an invalid ratio");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace faults = reckon::faults;
  const std::string text(reinterpret_cast<const char*>(data), size);
  faults::ScenarioError error;
  const auto scenario = faults::parse_scenario(text, "fuzz.toml", error);
  if (!scenario) {
    if (error.message.empty()) fail("a refused scenario without a message");
    if (error.file != "fuzz.toml") fail("a refusal that does not name the file");
    if (error.line < 0) fail("a refusal with a negative line");
    if (error.str().find("fuzz.toml") != 0)
      fail("ScenarioError::str() does not start with the file");
    return 0;
  }
  if (scenario->description.empty()) fail("an accepted scenario without a description");
  if (faults::validate(scenario->faults)) fail("an accepted scenario whose fault plan is invalid");
  const auto& w = scenario->workload;
  for (const auto* r :
       {&w.auto_capture, &w.partial_capture, &w.pay_again_after_decline, &w.void_instead_of_capture,
        &w.refund_after_capture, &w.capture_void_race, &w.refund_while_unknown,
        &w.capture_while_unknown, &w.void_while_unknown, &w.refund_race}) {
    check_ratio(*r);
  }
  for (const auto& d : scenario->replay.value_or(std::vector<faults::Decision>{})) {
    if (!faults::is_decision_kind(d.kind)) fail("a replayed decision of an unknown kind");
  }
  return 0;
}
