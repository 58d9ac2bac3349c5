// Fuzz target: a decision list on disk (`reckon replay --decisions FILE`, JSON, documented in
// docs/report-format.md / faults/decision_file.h): faults::parse_decision_file over the text.
// Must hold: no crash, no UB, no leak; every refusal is a clear error (a non-empty message);
// an accepted file writes back (to_json) to text that parses to the same content.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "faults/decision_file.h"

namespace {

[[noreturn]] void fail(const char* why) {
  std::fprintf(stderr, "fuzz decision_file: %s\n", why);
  std::abort();
}

bool same(const reckon::faults::DecisionFile& a, const reckon::faults::DecisionFile& b) {
  if (a.seed != b.seed || a.scenario != b.scenario || a.plants != b.plants ||
      a.clients != b.clients || a.payments != b.payments || a.trace_hash != b.trace_hash ||
      a.decisions.size() != b.decisions.size()) {
    return false;
  }
  for (size_t i = 0; i < a.decisions.size(); ++i) {
    const auto& x = a.decisions[i];
    const auto& y = b.decisions[i];
    if (x.index != y.index || x.at_us != y.at_us || x.kind != y.kind || x.subject != y.subject ||
        x.value != y.value) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace faults = reckon::faults;
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const auto file = faults::parse_decision_file(text, error);
  if (!file) {
    if (error.empty()) fail("a refused decision file without a message");
    return 0;
  }
  std::string again_error;
  const auto again = faults::parse_decision_file(faults::to_json(*file), again_error);
  if (!again) fail("to_json of an accepted file is refused");
  if (!same(*file, *again)) fail("to_json then parse changes the file");
  return 0;
}
