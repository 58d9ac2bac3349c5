#include "faults/decision_file.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace reckon::faults {
namespace {

using nlohmann::json;

bool get_string(const json& j, const char* key, std::string& out, std::string& error,
                const std::string& where) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) {
    error = where + ": '" + key + "' must be a string";
    return false;
  }
  out = it->get<std::string>();
  return true;
}

bool get_int(const json& j, const char* key, int64_t& out, std::string& error,
             const std::string& where) {
  auto it = j.find(key);
  // An unsigned value past int64's range is an integer to nlohmann but would wrap here.
  if (it == j.end() || !it->is_number_integer() ||
      (it->is_number_unsigned() && it->get<uint64_t>() > uint64_t{INT64_MAX})) {
    error = where + ": '" + key + "' must be an integer from " + std::to_string(INT64_MIN) +
            " to " + std::to_string(INT64_MAX);
    return false;
  }
  out = it->get<int64_t>();
  return true;
}

}  // namespace

std::string to_json(const DecisionFile& f) {
  json decisions = json::array();
  for (const auto& d : f.decisions) {
    decisions.push_back({{"n", d.index},
                         {"at_us", d.at_us},
                         {"kind", d.kind},
                         {"subject", d.subject},
                         {"value", d.value}});
  }
  json out = {{"format", "reckon-decisions"},
              {"version", kDecisionFileVersion},
              {"seed", f.seed},
              {"scenario", f.scenario},
              {"plants", f.plants},
              {"clients", f.clients},
              {"payments", f.payments},
              {"trace_hash", f.trace_hash},
              {"decisions", decisions}};
  if (!f.adapter.empty())
    out["adapter"] = f.adapter;  // absent: files without one stay as they were
  return out.dump(1) + "\n";
}

namespace {

// The decision list, each decision type-checked and in range, in time order; false with
// `error` naming the first that is not.
bool read_decisions(const json& decisions, std::vector<Decision>& into, std::string& error) {
  int64_t last_at_us = 0;
  for (size_t i = 0; i < decisions.size(); ++i) {
    const json& d = decisions[i];
    const std::string where = "decisions[" + std::to_string(i) + "]";
    Decision out;
    int64_t n = 0;
    if (!d.is_object()) {
      error = where + ": must be an object";
      return false;
    }
    if (!get_int(d, "n", n, error, where) || !get_int(d, "at_us", out.at_us, error, where) ||
        !get_string(d, "kind", out.kind, error, where) ||
        !get_string(d, "subject", out.subject, error, where) ||
        !get_int(d, "value", out.value, error, where)) {
      return false;
    }
    if (n < 0 || out.at_us < 0) {
      error = where + ": 'n' and 'at_us' must not be negative";
      return false;
    }
    if (out.at_us > kDecisionYearUs || out.value < -kDecisionYearUs ||
        out.value > kDecisionYearUs) {
      error = where + ": 'at_us' and 'value' must be within " + std::to_string(kDecisionYearUs) +
              " (a year in microseconds)";
      return false;
    }
    if (out.at_us < last_at_us) {
      error = where + ": 'at_us' goes back in time; decisions must be in time order";
      return false;
    }
    last_at_us = out.at_us;
    out.index = static_cast<uint64_t>(n);
    into.push_back(std::move(out));
  }
  return true;
}

}  // namespace

std::optional<DecisionFile> parse_decision_file(const std::string& text, std::string& error) {
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    error = "not a JSON object";
    return std::nullopt;
  }
  // Every field is type-checked before it is read: a wrong type is a refusal, never a throw.
  if (!j.contains("format") || j["format"] != "reckon-decisions") {
    error = "'format' must be \"reckon-decisions\"";
    return std::nullopt;
  }
  if (!j.contains("version") || j["version"] != kDecisionFileVersion) {
    error = "'version' must be " + std::to_string(kDecisionFileVersion);
    return std::nullopt;
  }
  DecisionFile f;
  int64_t clients = 0;
  int64_t payments = 0;
  if (!j.contains("seed") || !j["seed"].is_number_unsigned()) {
    error = "'seed' must be an unsigned integer";
    return std::nullopt;
  }
  f.seed = j["seed"].get<uint64_t>();
  if (!get_string(j, "scenario", f.scenario, error, "file") ||
      !get_int(j, "clients", clients, error, "file") ||
      !get_int(j, "payments", payments, error, "file") ||
      !get_string(j, "trace_hash", f.trace_hash, error, "file")) {
    return std::nullopt;
  }
  if (j.contains("adapter") && !get_string(j, "adapter", f.adapter, error, "file")) {
    return std::nullopt;
  }
  if (clients < 0 || clients > 1000 || payments < 0 || payments > 100000) {
    error = "'clients' or 'payments' out of range";
    return std::nullopt;
  }
  f.clients = static_cast<int>(clients);
  f.payments = static_cast<int>(payments);
  if (!j.contains("plants") || !j["plants"].is_array()) {
    error = "'plants' must be an array of strings";
    return std::nullopt;
  }
  for (const auto& p : j["plants"]) {
    if (!p.is_string()) {
      error = "'plants' must be an array of strings";
      return std::nullopt;
    }
    f.plants.push_back(p.get<std::string>());
  }
  if (!j.contains("decisions") || !j["decisions"].is_array()) {
    error = "'decisions' must be an array";
    return std::nullopt;
  }
  if (!read_decisions(j["decisions"], f.decisions, error)) return std::nullopt;
  return f;
}

bool write_decision_file(const std::string& path, const DecisionFile& file, std::string& error) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << to_json(file);
    if (!out) {
      error = "cannot write '" + tmp + "'";
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    error = "cannot rename '" + tmp + "' to '" + path + "'";
    return false;
  }
  return true;
}

std::optional<DecisionFile> read_decision_file(const std::string& path, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = "cannot read '" + path + "'";
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto f = parse_decision_file(text.str(), error);
  if (!f) error = path + ": " + error;
  return f;
}

}  // namespace reckon::faults
