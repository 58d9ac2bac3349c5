// Fuzz target: the merchants file of a live server (`reckon serve --merchants FILE`,
// docs/live.md, "Merchants file"): live::load_merchants_file, which reads a path, so each
// input is written to one mkstemp file made once per process.
// Must hold: no crash, no UB, no leak; every refusal is a clear error (a message naming the
// file); an accepted file maps each API key (16..128 of [A-Za-z0-9_-]) to a merchant id
// (1..64 of [a-z0-9_-]) and gives webhooks only to merchants it lists.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "live/merchants_file.h"
#include "tests/fuzz/input_file.h"

namespace {

[[noreturn]] void fail(const char* why) {
  std::fprintf(stderr, "fuzz merchants_toml: %s\n", why);
  std::abort();
}

// Static: destroyed (file removed) at exit, after the last input.
const std::string& write_input(const uint8_t* data, size_t size) {
  static reckon::fuzz::InputFile file("reckon-fuzz-merchants");
  return file.write(data, size);
}

bool all_of(const std::string& s, const char* extra) {
  for (unsigned char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    (c != 0 && std::string(extra).find(static_cast<char>(c)) != std::string::npos);
    if (!ok) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& path = write_input(data, size);
  std::string error;
  const auto config = reckon::live::load_merchants_file(path, error);
  if (!config) {
    if (error.rfind(path, 0) != 0 || error.size() <= path.size()) {
      fail("a refused merchants file without a message naming the file");
    }
    return 0;
  }
  if (config->api_keys.empty()) fail("an accepted file without API keys");
  std::set<std::string> merchants;
  for (const auto& [key, merchant] : config->api_keys) {
    if (key.size() < 16 || key.size() > 128 || !all_of(key, "_-ABCDEFGHIJKLMNOPQRSTUVWXYZ")) {
      fail("an accepted API key outside 16..128 of [A-Za-z0-9_-]");
    }
    if (merchant.empty() || merchant.size() > 64 || !all_of(merchant, "_-")) {
      fail("an accepted merchant id outside 1..64 of [a-z0-9_-]");
    }
    merchants.insert(merchant);
  }
  for (const auto& [merchant, url] : config->webhooks) {
    if (merchants.count(merchant) == 0) fail("a webhook for a merchant without keys");
    if (url.empty()) fail("an empty webhook URL accepted");
  }
  return 0;
}
