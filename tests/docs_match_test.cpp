// The documentation states the code's lists: docs/properties.md has a row for every property
// the checker knows and for every planted defect (naming the property that catches it), and
// scenarios/negative/ holds a scenario planting each defect, as the README promises.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "engine/planted.h"
#include "sim/properties.h"
#include "tests/run_reckon.h"

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

}  // namespace
}  // namespace reckon
