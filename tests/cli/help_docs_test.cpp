// The README's command-line block states every subcommand and every option the command
// accepts, and no subcommand or option it does not: each `reckon SUB --help` is held to the
// block's `reckon SUB ...` lines, both ways.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "tests/support/run_reckon.h"

namespace reckon {
namespace {

std::set<std::string> options_of(const std::string& help) {
  // CLI11 option lines: "  --flag ..." or "  -h,--help ...".
  static const std::regex option(R"(^\s+(?:-\w,)?(--[a-z][a-z0-9-]*))");
  std::set<std::string> out;
  std::istringstream lines(help);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, option) && m[1] != "--help") out.insert(m[1]);
  }
  return out;
}

std::vector<std::string> subcommands_of(const std::string& help) {
  static const std::regex name(R"(^  ([a-z][a-z-]*)\s{2,})");
  std::vector<std::string> out;
  const auto at = help.find("Subcommands:");
  if (at == std::string::npos) return out;
  std::istringstream lines(help.substr(at));
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, name)) out.push_back(m[1]);
  }
  return out;
}

// Subcommand -> the options its lines in the README's command-line block name.
std::map<std::string, std::set<std::string>> readme_usage() {
  const std::string readme = testing::read_file(std::string(RECKON_SOURCE_DIR) + "/README.md");
  const auto section = readme.find("## The command line");
  const auto open = readme.find("```\n", section);
  const auto close = readme.find("```", open + 4);
  std::istringstream lines(readme.substr(open + 4, close - open - 4));
  static const std::regex usage(R"(^reckon ([a-z-]+))");
  static const std::regex flag(R"(--[a-z][a-z0-9-]*)");
  std::map<std::string, std::set<std::string>> out;
  std::string current;
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, usage)) current = m[1];
    if (current.empty()) continue;
    auto& options = out[current];
    for (std::sregex_iterator it(line.begin(), line.end(), flag), end; it != end; ++it) {
      options.insert(it->str());
    }
  }
  return out;
}

TEST(HelpDocs, TheReadmeStatesEverySubcommandAndOptionAndNoOther) {
  const auto usage = readme_usage();
  const auto top = testing::run_reckon("--help");
  const auto subcommands = subcommands_of(top.output);
  ASSERT_GE(subcommands.size(), 15u) << top.output;
  for (const std::string& sub : subcommands) {
    auto help = testing::run_reckon(sub + " --help").output;
    // `ledger` only groups `ledger verify`, whose options are the ones to state.
    for (const std::string& nested : subcommands_of(help)) {
      help += testing::run_reckon(sub + " " + nested + " --help").output;
    }
    const auto found = usage.find(sub);
    ASSERT_NE(found, usage.end()) << "README's command-line block has no `reckon " << sub << "`";
    const std::set<std::string> accepted = options_of(help);
    for (const std::string& option : accepted) {
      EXPECT_EQ(found->second.count(option), 1u)
          << "`reckon " << sub << "` accepts " << option << ", which the README does not state";
    }
    for (const std::string& option : found->second) {
      EXPECT_EQ(accepted.count(option), 1u)
          << "the README states `reckon " << sub << " " << option << "`, which it does not accept";
    }
  }
}

TEST(HelpDocs, EverySubcommandTheReadmeStatesExists) {
  const auto subcommands = subcommands_of(testing::run_reckon("--help").output);
  const std::set<std::string> known(subcommands.begin(), subcommands.end());
  ASSERT_FALSE(known.empty());
  for (const auto& [sub, options] : readme_usage()) {
    EXPECT_EQ(known.count(sub), 1u)
        << "the README's command-line block states `reckon " << sub << "`, which does not exist";
  }
}

}  // namespace
}  // namespace reckon
