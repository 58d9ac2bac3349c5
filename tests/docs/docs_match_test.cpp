// The documentation states the code's lists: docs/properties.md has a row for every property
// the checker knows and for every planted defect (naming the property that catches it), and
// scenarios/negative/ holds a scenario planting each defect, as the README promises; the
// README's counts of both are true; docs/architecture.md names every PRNG stream a run draws
// from.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "engine/planted.h"
#include "sim/probe_catalogue.h"
#include "sim/properties.h"
#include "tests/support/run_reckon.h"

namespace reckon {
namespace {

namespace fs = std::filesystem;

std::string properties_doc() {
  return testing::read_file(std::string(RECKON_SOURCE_DIR) + "/docs/properties.md");
}

// The first table row after `from` that starts with the name in backticks, or "".
std::string row_of(const std::string& doc, const std::string& name, size_t from = 0) {
  const std::string start = "\n| `" + name + "` |";
  const auto at = doc.find(start, from);
  if (at == std::string::npos) return "";
  return doc.substr(at + 1, doc.find('\n', at + 1) - at - 1);
}

TEST(DocsMatch, EveryPropertyHasARowInPropertiesMd) {
  const std::string doc = properties_doc();
  for (const char* property : sim::kAllProperties) {
    EXPECT_NE(row_of(doc, property), "") << property << " has no row in docs/properties.md";
  }
}

TEST(DocsMatch, EveryPlantedDefectHasARowNamingTheProperty) {
  const std::string doc = properties_doc();
  const size_t table = doc.find("## The planted defects");
  ASSERT_NE(table, std::string::npos);
  for (const auto& defect : engine::all_defects()) {
    const std::string row = row_of(doc, std::string(defect.name), table);
    EXPECT_NE(row, "") << defect.name << " has no row in docs/properties.md";
    EXPECT_NE(row.find("`" + std::string(defect.caught_by) + "`"), std::string::npos)
        << defect.name << "'s row does not name " << defect.caught_by << ": " << row;
  }
}

TEST(DocsMatch, EveryPlantedDefectHasANegativeScenario) {
  std::string plants;
  for (const auto& entry : fs::directory_iterator(fs::path(RECKON_SCENARIOS_DIR) / "negative")) {
    if (entry.path().extension() == ".toml") plants += testing::read_file(entry.path().string());
  }
  for (const auto& defect : engine::all_defects()) {
    EXPECT_NE(plants.find("\"" + std::string(defect.name) + "\""), std::string::npos)
        << "no scenario in scenarios/negative/ plants " << defect.name;
  }
}

// Every row of every table in docs/properties.md has its header's number of cells: a row run
// into the next (a lost newline) would hide a defect in another property's cell.
TEST(DocsMatch, EveryPropertiesTableRowHasItsHeadersCells) {
  std::istringstream lines(properties_doc());
  int header_cells = -1;
  int line_number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++line_number;
    if (line.rfind("|", 0) != 0) {
      header_cells = -1;
      continue;
    }
    int cells = 0;
    for (size_t i = 0; i < line.size(); ++i)
      cells += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
    if (header_cells < 0) {
      header_cells = cells;
      continue;
    }
    EXPECT_EQ(cells, header_cells) << "docs/properties.md line " << line_number << ": " << line;
  }
}

TEST(DocsMatch, ThePropertiesDocCountsTheProbeKindsTruly) {
  std::smatch m;
  const std::string doc = properties_doc();
  ASSERT_TRUE(std::regex_search(doc, m, std::regex(R"((\d+) kinds in `sim/probe_catalogue.cpp`)")));
  EXPECT_EQ(std::stoi(m[1]), sim::probe_count());
}

TEST(DocsMatch, TheReadmeCountsPropertiesAndDefectsTruly) {
  const std::string readme = testing::read_file(std::string(RECKON_SOURCE_DIR) + "/README.md");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(readme, m, std::regex(R"((\d+) properties with\s+(\d+) planted)")))
      << "the README no longer says how many properties and planted defects there are";
  EXPECT_EQ(std::stoul(m[1]), std::size(sim::kAllProperties));
  EXPECT_EQ(std::stoul(m[2]), engine::all_defects().size());
}

// Each component draws from a named stream (sim/prng.h); the table in docs/architecture.md,
// "Randomness", names each one, so a reader can tell which draws a change would move.
TEST(DocsMatch, EveryPrngStreamIsInTheArchitectureTable) {
  const std::string doc =
      testing::read_file(std::string(RECKON_SOURCE_DIR) + "/docs/architecture.md");
  // A stream is named where a PrngStream (or a member called *stream*) is made from a seed
  // and a literal, or in a fault kind's `.stream` field.
  static const std::regex made(
      R"re((?:PrngStream|[A-Za-z_]*stream[A-Za-z_]*)\s*\(\s*[^,;()]*(?:\(\))?\s*,\s*"([^"]+)")re");
  // Any other object made from a seed and a literal: `faults_(seed, "psp-sim-faults")`.
  static const std::regex seeded(R"re(\w+\(\s*[\w.]*seed\w*(?:\(\))?\s*,\s*"([^"]+)")re");
  static const std::regex field(R"re(\.stream\s*=\s*"([^"]+)")re");
  std::set<std::string> names;
  for (const char* folder : {"sim", "faults", "adapters", "cli", "live"}) {
    for (const auto& entry :
         fs::recursive_directory_iterator(fs::path(RECKON_SOURCE_DIR) / folder)) {
      const auto ext = entry.path().extension();
      if (ext != ".cpp" && ext != ".h") continue;
      const std::string text = testing::read_file(entry.path().string());
      for (const auto* re : {&made, &seeded, &field}) {
        for (std::sregex_iterator it(text.begin(), text.end(), *re), end; it != end; ++it) {
          names.insert((*it)[1]);
        }
      }
    }
  }
  ASSERT_GE(names.size(), 30u) << "the scan found too few streams to be reading the code";
  for (const std::string& name : names) {
    // "client." + index: the table writes the index as <i>.
    const std::string cell = name.back() == '.' ? "`" + name + "<i>`" : "`" + name + "`";
    EXPECT_NE(doc.find(cell), std::string::npos)
        << "PRNG stream " << name << " is not in docs/architecture.md's table";
  }
}

}  // namespace
}  // namespace reckon
