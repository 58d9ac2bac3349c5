#include "reports/merge.h"

#include <map>
#include <set>

#include "reports/outcome_json.h"
#include "reports/report.h"

namespace reckon::reports {
namespace {

struct ShardInfo {
  uint64_t index = 0;
  uint64_t count = 1;
};

ShardInfo shard_of(const nlohmann::json& report) {
  if (!report.contains("shard")) return {};
  return {report["shard"].at("index").get<uint64_t>(), report["shard"].at("count").get<uint64_t>()};
}

// Checks that `b` describes the same sweep as `a` (range, config, scenario, shard count).
bool same_sweep(const nlohmann::json& a, const nlohmann::json& b, std::string& what) {
  if (a.at("seeds").at("first") != b.at("seeds").at("first") ||
      a.at("seeds").at("last") != b.at("seeds").at("last")) {
    what = "a different seed range";
  } else if (a.at("config") != b.at("config")) {
    what = "a different config (clients, payments, plants or --check-determinism)";
  } else if (a.value("scenario", "default") != b.value("scenario", "default")) {
    what = "a different scenario";
  } else if (shard_of(a).count != shard_of(b).count) {
    what = "a different shard count";
  } else {
    return true;
  }
  return false;
}

}  // namespace

std::optional<nlohmann::json> merge_reports(const std::vector<NamedReport>& inputs,
                                            std::string& error) {
  if (inputs.empty()) {
    error = "no reports to merge";
    return std::nullopt;
  }
  std::set<uint64_t> shards_seen;
  std::map<uint64_t, sim::SeedOutcome> by_seed;
  uint64_t planned = 0;
  const nlohmann::json& first = inputs.front().report;
  try {
    for (const auto& in : inputs) {
      const auto& r = in.report;
      if (r.at("schema_version").get<int>() != kJsonSchemaVersion) {
        error = "'" + in.name + "': schema_version " + r.at("schema_version").dump() +
                ", this reckon reads " + std::to_string(kJsonSchemaVersion);
        return std::nullopt;
      }
      if (!r.contains("config") || !r.contains("coverage")) {
        error = "'" + in.name + "': no \"config\"/\"coverage\"; written by an older reckon?";
        return std::nullopt;
      }
      std::string what;
      if (!same_sweep(first, r, what)) {
        error = "'" + in.name + "' is from " + what + " than '" + inputs.front().name + "'";
        return std::nullopt;
      }
      const ShardInfo shard = shard_of(r);
      if (!shards_seen.insert(shard.index).second) {
        error = "'" + in.name + "': shard " + std::to_string(shard.index) + "/" +
                std::to_string(shard.count) + " given twice";
        return std::nullopt;
      }
      planned += r.at("coverage").at("planned").get<uint64_t>();
      const uint64_t first_seed = r.at("seeds").at("first").get<uint64_t>();
      for (const auto& run : r.at("runs")) {
        sim::SeedOutcome outcome = outcome_from_json(run);
        const uint64_t seed = outcome.result.seed;
        if (seed < first_seed || (seed - first_seed) % shard.count != shard.index) {
          error = "'" + in.name + "': seed " + std::to_string(seed) + " is not in its shard";
          return std::nullopt;
        }
        by_seed.emplace(seed, std::move(outcome));
      }
    }
  } catch (const nlohmann::json::exception& e) {
    error = std::string("not a reckon sweep report: ") + e.what();
    return std::nullopt;
  }
  const uint64_t count = shard_of(first).count;
  for (uint64_t i = 0; i < count; ++i) {
    if (shards_seen.count(i) == 0) {
      error = "shard " + std::to_string(i) + "/" + std::to_string(count) +
              " is missing; give every shard's report";
      return std::nullopt;
    }
  }
  sim::SweepResult sweep;
  for (auto& [seed, outcome] : by_seed) sweep.seeds.push_back(std::move(outcome));
  SweepMeta meta;
  meta.first_seed = first.at("seeds").at("first").get<uint64_t>();
  meta.last_seed = first.at("seeds").at("last").get<uint64_t>();
  meta.planned = planned;
  meta.config = first.at("config");
  meta.scenario = first.value("scenario", "default");
  ReplayContext replay;
  replay.extra_args = meta.config.value("replay_args", "");
  return sweep_json(sweep, replay, meta);
}

std::optional<std::vector<nlohmann::json>> merge_suite_reports(
    const std::vector<NamedReport>& inputs, std::string& suite, std::string& error) {
  if (inputs.empty()) {
    error = "no reports to merge";
    return std::nullopt;
  }
  std::vector<std::string> names;
  try {
    for (const auto& in : inputs) {
      if (!in.report.contains("scenarios")) {
        error = "'" + in.name + "' is one scenario's report, not a suite's; merge the shards of " +
                "one sweep at a time";
        return std::nullopt;
      }
      std::vector<std::string> these;
      for (const auto& r : in.report.at("scenarios")) these.push_back(r.value("scenario", ""));
      if (&in == &inputs.front()) {
        suite = in.report.at("suite").get<std::string>();
        names = these;
      } else if (in.report.at("suite").get<std::string>() != suite || these != names) {
        error = "'" + in.name + "' is from a different suite (or its scenarios differ) than '" +
                inputs.front().name + "'";
        return std::nullopt;
      }
    }
  } catch (const nlohmann::json::exception& e) {
    error = std::string("not a reckon suite report: ") + e.what();
    return std::nullopt;
  }
  std::vector<nlohmann::json> merged;
  for (size_t i = 0; i < names.size(); ++i) {
    std::vector<NamedReport> shards;
    for (const auto& in : inputs) {
      shards.push_back({in.name + " (scenario " + names[i] + ")", in.report["scenarios"][i]});
    }
    auto one = merge_reports(shards, error);
    if (!one) return std::nullopt;
    const auto& first = inputs.front().report["scenarios"][i];
    if (first.contains("expect")) {
      add_expectation(*one, first["expect"].value("property", ""));
    }
    merged.push_back(std::move(*one));
  }
  return merged;
}

}  // namespace reckon::reports
