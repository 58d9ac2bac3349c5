// The fault-kind registry (faults/fault_kinds.h) is the one statement of each kind: every
// knob it names survives the scenario writer and reader, swarm visits its kinds in its order,
// the decision kinds it lists are the ones a [replay] list accepts, and docs/scenarios.md's
// table of kinds is the registry's.
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "faults/fault_kinds.h"
#include "faults/scenario.h"
#include "faults/swarm.h"
#include "sim/scenario_run.h"
#include "sim/scenario_writer.h"
#include "tests/support/run_reckon.h"

namespace reckon {
namespace {

using faults::FaultKind;
using faults::KnobShape;

bool same(Ratio a, Ratio b) {
  return a.num == b.num && a.den == b.den;
}

// The plan with `kind` switched on at a value no default has, distinct per kind index `i`.
void switch_on(const FaultKind& kind, size_t i, faults::FaultPlan& plan) {
  switch (kind.shape) {
    case KnobShape::kRate:
      kind.rate(plan) = Ratio{3 + i, 1000 + i};
      break;
    case KnobShape::kMeanInterval:
      kind.mean_us(plan) = static_cast<int64_t>(1000 * (1234 + i));
      break;
    case KnobShape::kSkewRange:
      plan.clock.skew_min_us = -1'500'000;
      plan.clock.skew_max_us = 2'500'000;
      break;
    case KnobShape::kScheduled:
      break;
  }
  // Faults of the PSP's webhooks need the webhooks they fault (the reader says so).
  if (kind.needs_webhooks) plan.psp.webhooks = true;
}

bool knob_equal(const FaultKind& kind, faults::FaultPlan a, faults::FaultPlan b) {
  switch (kind.shape) {
    case KnobShape::kRate:
      return same(kind.rate(a), kind.rate(b));
    case KnobShape::kMeanInterval:
      return kind.mean_us(a) == kind.mean_us(b);
    case KnobShape::kSkewRange:
      return a.clock.skew_min_us == b.clock.skew_min_us &&
             a.clock.skew_max_us == b.clock.skew_max_us;
    case KnobShape::kScheduled:
      return true;
  }
  return false;
}

TEST(FaultRegistry, EntriesAreWellFormed) {
  std::set<std::string_view> names;
  std::set<std::string> keys;
  for (const FaultKind& kind : faults::fault_kinds()) {
    EXPECT_TRUE(names.insert(kind.name).second) << kind.name << " is registered twice";
    EXPECT_TRUE(keys.insert(faults::scenario_key(kind)).second) << faults::scenario_key(kind);
    EXPECT_FALSE(kind.what.empty()) << kind.name;
    EXPECT_EQ(kind.rate != nullptr, kind.shape == KnobShape::kRate) << kind.name;
    EXPECT_EQ(kind.mean_us != nullptr, kind.shape == KnobShape::kMeanInterval) << kind.name;
    if (kind.swarm) {
      EXPECT_NE(kind.shape, KnobShape::kScheduled) << kind.name << ": the schedule is the file's";
      if (kind.shape == KnobShape::kRate) {
        EXPECT_TRUE(!kind.swarm_rate.is_zero() && kind.swarm_rate.valid()) << kind.name;
      }
      if (kind.shape == KnobShape::kMeanInterval) {
        EXPECT_GT(kind.swarm_mean_us, 0) << kind.name;
      }
    }
    for (const auto d : kind.decisions) {
      if (!d.empty()) {
        EXPECT_TRUE(faults::is_decision_kind(d)) << d;
      }
    }
    if (kind.shortenable) {
      EXPECT_FALSE(kind.decisions[0].empty()) << kind.name;
    }
    if (kind.needs_webhooks) {
      EXPECT_EQ(kind.table, "psp") << kind.name << ": `webhooks` is a [faults.psp] switch";
      EXPECT_EQ(kind.shape, KnobShape::kRate) << kind.name;
    }
    EXPECT_EQ(faults::find_fault_kind(kind.name), &kind);
  }
  EXPECT_EQ(faults::find_fault_kind("no_such_kind"), nullptr);
  EXPECT_FALSE(faults::is_decision_kind(""));
  EXPECT_FALSE(faults::is_decision_kind("settlement_"));
  EXPECT_FALSE(faults::is_decision_kind("settlement_made_up"));
}

// The writer once dropped knobs (the merchant-misbehaviour rates): a written scenario then
// ran with the defaults. Each registered kind, set alone to its own value, comes back.
TEST(FaultRegistry, EveryKnobSurvivesWritingAndReading) {
  const auto kinds = faults::fault_kinds();
  for (size_t i = 0; i < kinds.size(); ++i) {
    const FaultKind& kind = kinds[i];
    if (kind.shape == KnobShape::kScheduled) continue;
    sim::RunConfig config;
    config.faults = faults::quiet_fault_plan();
    switch_on(kind, i, config.faults);
    std::string toml;
    std::string error;
    ASSERT_TRUE(sim::scenario_toml(config, sim::ScenarioText{"one kind", "1..1", ""}, toml, error))
        << kind.name << ": " << error;
    faults::ScenarioError e;
    auto scenario = faults::parse_scenario(toml, "written.toml", e);
    ASSERT_TRUE(scenario) << kind.name << ": " << e.str() << "\n" << toml;
    EXPECT_TRUE(knob_equal(kind, scenario->faults, config.faults))
        << faults::scenario_key(kind) << " did not come back as written:\n"
        << toml;
    // And it is the only knob of the registry that changed.
    for (size_t j = 0; j < kinds.size(); ++j) {
      if (j == i || kinds[j].shape == KnobShape::kScheduled) continue;
      if (kinds[j].shape == KnobShape::kSkewRange && kind.shape == KnobShape::kSkewRange) continue;
      EXPECT_TRUE(knob_equal(kinds[j], scenario->faults, faults::quiet_fault_plan()))
          << "writing " << kind.name << " changed " << kinds[j].name;
    }
  }
}

TEST(FaultRegistry, EveryKnobIsReadFromItsKey) {
  const auto kinds = faults::fault_kinds();
  for (size_t i = 0; i < kinds.size(); ++i) {
    const FaultKind& kind = kinds[i];
    if (kind.shape == KnobShape::kScheduled) continue;
    faults::FaultPlan expected = faults::quiet_fault_plan();
    switch_on(kind, i, expected);
    std::string text = "description = \"x\"\n[faults." + std::string(kind.table) + "]\n";
    if (expected.psp.webhooks) text += "webhooks = true\n";
    text += std::string(kind.key) + " = ";
    if (kind.shape == KnobShape::kRate) text += "\"" + kind.rate(expected).str() + "\"\n";
    if (kind.shape == KnobShape::kMeanInterval) {
      text += std::to_string(kind.mean_us(expected) / 1000) + "\n";
    }
    if (kind.shape == KnobShape::kSkewRange) text += "[-1500, 2500]\n";
    faults::ScenarioError e;
    auto scenario = faults::parse_scenario(text, "one.toml", e);
    ASSERT_TRUE(scenario) << kind.name << ": " << e.str() << "\n" << text;
    EXPECT_TRUE(knob_equal(kind, scenario->faults, expected)) << text;
  }
}

// A fault of the PSP's webhooks on a PSP that sends none would silently do nothing: the
// reader refuses it, naming the knob, and takes it once `webhooks = true`.
TEST(FaultRegistry, WebhookFaultsNeedWebhooks) {
  std::vector<std::string_view> needing;
  for (const FaultKind& kind : faults::fault_kinds()) {
    if (!kind.needs_webhooks) continue;
    needing.push_back(kind.name);
    const std::string knob = std::string(kind.key) + " = \"1/2\"\n";
    const std::string without = "description = \"x\"\n[faults.psp]\n" + knob;
    faults::ScenarioError e;
    EXPECT_FALSE(faults::parse_scenario(without, "w.toml", e)) << kind.name;
    EXPECT_NE(e.str().find(std::string(kind.key)), std::string::npos) << e.str();
    EXPECT_NE(e.str().find("needs webhooks = true"), std::string::npos) << e.str();
    const std::string with = "description = \"x\"\n[faults.psp]\nwebhooks = true\n" + knob;
    faults::ScenarioError e2;
    EXPECT_TRUE(faults::parse_scenario(with, "w.toml", e2)) << kind.name << ": " << e2.str();
  }
  // docs/scenarios.md: duplicated, late and forged webhook deliveries.
  EXPECT_EQ(needing, (std::vector<std::string_view>{"psp_webhook_duplicate", "psp_webhook_late",
                                                    "psp_webhook_forged"}));
}

// Swarm spends two draws per swarm kind in registry order: with every coin "on", every swarm
// kind is enabled, in that order, and nothing else is.
TEST(FaultRegistry, SwarmVisitsItsKindsInRegistryOrder) {
  std::vector<std::string> expected;
  for (const FaultKind& kind : faults::fault_kinds()) {
    if (kind.swarm) expected.emplace_back(kind.name);
  }
  size_t draws = 0;
  std::vector<std::string> enabled;
  const faults::FaultPlan plan = faults::swarm_select(
      faults::quiet_fault_plan(),
      [&](uint64_t n) {
        ++draws;
        return n == 2 ? 1 : 2;  // on, at the plan's own intensity (scaled by 1)
      },
      enabled);
  EXPECT_EQ(enabled, expected);
  EXPECT_EQ(draws, 2 * expected.size());
  faults::FaultPlan copy = plan;
  for (const FaultKind& kind : faults::fault_kinds()) {
    if (!kind.swarm) continue;
    if (kind.shape == KnobShape::kRate) {
      EXPECT_TRUE(same(kind.rate(copy), kind.swarm_rate)) << kind.name;
    }
    if (kind.shape == KnobShape::kMeanInterval) {
      EXPECT_EQ(kind.mean_us(copy), kind.swarm_mean_us) << kind.name;
    }
  }
  EXPECT_TRUE(plan.psp.webhooks) << "a webhook fault switched on needs the PSP's webhooks";
}

// --- docs/scenarios.md ----------------------------------------------------------------------

std::string decisions_cell(const FaultKind& kind) {
  std::string out;
  for (const auto d : kind.decisions) {
    if (!d.empty()) out += (out.empty() ? "`" : ", `") + std::string(d) + "`";
  }
  return out.empty() ? "none" : out;
}

std::string swarm_cell(const FaultKind& kind) {
  if (!kind.swarm) return "no";
  switch (kind.shape) {
    case KnobShape::kRate:
      return "`" + kind.swarm_rate.str() + "`";
    case KnobShape::kMeanInterval:
      return "every " + std::to_string(kind.swarm_mean_us / 1000) + " ms";
    case KnobShape::kSkewRange:
      return "+-250 .. +-1000 ms";
    case KnobShape::kScheduled:
      break;
  }
  return "no";
}

std::string key_cell(const FaultKind& kind) {
  if (kind.shape == KnobShape::kScheduled) {
    return "`[[faults.schedule]]` `kind = \"" + std::string(kind.key) + "\"`";
  }
  return "`" + faults::scenario_key(kind) + "`";
}

// The table docs/scenarios.md must carry, row for row.
std::vector<std::string> expected_rows() {
  std::vector<std::string> rows;
  for (const FaultKind& kind : faults::fault_kinds()) {
    const std::string stream = kind.stream.empty() ? "none" : "`" + std::string(kind.stream) + "`";
    rows.push_back("| `" + std::string(kind.name) + "` | " + key_cell(kind) + " | " +
                   decisions_cell(kind) + " | " + swarm_cell(kind) + " | " + stream + " | " +
                   std::string(kind.what) + " |");
  }
  return rows;
}

TEST(FaultRegistry, DocsTableIsTheRegistry) {
  const std::string doc = testing::read_file(std::string(RECKON_SOURCE_DIR) + "/docs/scenarios.md");
  const size_t section = doc.find("\n## Fault kinds\n");
  ASSERT_NE(section, std::string::npos) << "docs/scenarios.md has no '## Fault kinds' section";
  std::vector<std::string> rows;
  std::istringstream in(doc.substr(section));
  bool header_seen = false;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("## ") && line != "## Fault kinds") break;
    if (!line.starts_with("| `")) continue;
    header_seen = true;
    rows.push_back(line);
  }
  ASSERT_TRUE(header_seen);
  const auto expected = expected_rows();
  std::string table;
  for (const auto& row : expected) table += row + "\n";
  EXPECT_EQ(rows, expected) << "docs/scenarios.md's table of fault kinds should read:\n" << table;
}

TEST(FaultRegistry, DocsReplayKindListNamesEveryDecisionKind) {
  const std::string doc = testing::read_file(std::string(RECKON_SOURCE_DIR) + "/docs/scenarios.md");
  const size_t row = doc.find("\n| `kind` |");
  ASSERT_NE(row, std::string::npos);
  const std::string line = doc.substr(row + 1, doc.find('\n', row + 1) - row - 1);
  std::set<std::string> listed;
  for (size_t at = line.find('`', 10); at != std::string::npos; at = line.find('`', at + 1)) {
    const size_t end = line.find('`', at + 1);
    if (end == std::string::npos) break;
    listed.insert(line.substr(at + 1, end - at - 1));
    at = end;
  }
  std::set<std::string> registered;
  for (const FaultKind& kind : faults::fault_kinds()) {
    for (const auto d : kind.decisions) {
      if (!d.empty()) registered.emplace(d);
    }
  }
  EXPECT_EQ(listed, registered) << line;
}

// The decision kinds the replay reader and the injector treat apart, as docs/scenarios.md
// describes them: crashes and partitions (random or scheduled) are timed; only a clock skew
// may be negative; only a partition's subject is a link "a|b".
TEST(FaultRegistry, TimedSignedAndLinkDecisionsAreTheDocumentedOnes) {
  std::set<std::string> timed, negative, link;
  for (const FaultKind& kind : faults::fault_kinds()) {
    for (const auto d : kind.decisions) {
      if (d.empty()) continue;
      if (faults::is_timed_decision(d)) timed.emplace(d);
      if (faults::allows_negative_value(d)) negative.emplace(d);
      const FaultKind* recorded_by = faults::recording_kind(d);
      ASSERT_NE(recorded_by, nullptr) << d;
      if (recorded_by->link_subject) link.emplace(d);
    }
  }
  EXPECT_EQ(timed, (std::set<std::string>{"crash", "partition", "scheduled_crash",
                                          "scheduled_partition"}));
  EXPECT_EQ(negative, std::set<std::string>{"clock_skew"});
  EXPECT_EQ(link, (std::set<std::string>{"partition", "scheduled_partition"}));
  EXPECT_FALSE(faults::is_timed_decision("no_such_kind"));
  EXPECT_EQ(faults::recording_kind(""), nullptr);
}

}  // namespace
}  // namespace reckon
