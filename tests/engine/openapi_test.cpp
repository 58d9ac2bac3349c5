// docs/openapi.json describes the API the engine really serves: every route answers (not
// route_not_found), and every error code the engine's sources can emit is in the spec's
// enum, so a new code cannot ship undocumented.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/support/engine_fixture.h"

namespace reckon::test {
namespace {

const std::filesystem::path kRoot = std::filesystem::path(RECKON_SCENARIOS_DIR).parent_path();

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

nlohmann::json load_spec() {
  return nlohmann::json::parse(read_file(kRoot / "docs" / "openapi.json"));
}

// The codes passed to error_response(STATUS, "code", ...) anywhere in engine/, plus the
// 402 families built as "<operation>_<declined|failed>" (engine/operations.cpp).
std::set<std::string> engine_error_codes() {
  std::set<std::string> codes;
  const std::regex call(R"(error_response\(\s*\d+,\s*"([a-z_]+)\")");
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kRoot / "engine")) {
    if (entry.path().extension() != ".cpp") continue;
    const std::string text = read_file(entry.path());
    for (std::sregex_iterator it(text.begin(), text.end(), call), end; it != end; ++it) {
      codes.insert((*it)[1]);
    }
  }
  for (const char* op : {"payment", "capture", "void", "refund"}) {
    for (const char* outcome : {"declined", "failed"}) {
      codes.insert(std::string(op) + "_" + outcome);
    }
  }
  return codes;
}

TEST(OpenApi, IsOpenApi3WithEveryRoute) {
  const auto spec = load_spec();
  EXPECT_EQ(spec["openapi"], "3.0.3");
  const auto& paths = spec["paths"];
  EXPECT_TRUE(paths["/v1/charges"].contains("post"));
  EXPECT_TRUE(paths["/v1/charges"].contains("get"));
  EXPECT_TRUE(paths["/v1/charges/{id}"].contains("get"));
  for (const char* action : {"capture", "void", "refund"}) {
    EXPECT_TRUE(paths[std::string("/v1/charges/{id}/") + action].contains("post")) << action;
  }
  EXPECT_TRUE(paths["/v1/psp/webhooks"].contains("post"));
}

TEST(OpenApi, DocumentsEveryErrorCodeTheEngineEmits) {
  const auto spec = load_spec();
  std::set<std::string> documented;
  for (const auto& code : spec["components"]["schemas"]["Error"]["properties"]["error"]
                              ["properties"]["code"]["enum"]) {
    documented.insert(code.get<std::string>());
  }
  const auto emitted = engine_error_codes();
  ASSERT_GT(emitted.size(), 20u) << "the source scan found the engine's error codes";
  for (const auto& code : emitted) {
    EXPECT_TRUE(documented.count(code)) << "error code '" << code << "' is not in openapi.json";
  }
}

TEST(OpenApi, EveryDocumentedRouteIsServed) {
  engine::EngineConfig config;
  config.psp_webhook_secret = "whsec_openapi_test";  // the PSP webhook route is open
  EngineHarness h(config);
  h.psp.use_model();
  const auto spec = load_spec();
  for (const auto& [path, methods] : spec["paths"].items()) {
    const std::string target = std::regex_replace(path, std::regex(R"(\{id\})"), "ch_missing");
    for (const auto& [method, operation] : methods.items()) {
      const auto r = method == "get" ? h.get(target) : h.post(target, "openapi-" + path, "{}");
      ASSERT_TRUE(r.has_value()) << method << " " << target;
      EXPECT_EQ(r->body.find("route_not_found"), std::string::npos) << method << " " << target;
    }
  }
}

}  // namespace
}  // namespace reckon::test
