// reckon serve --merchants FILE: the merchants, API keys and webhooks of a live server, read
// strictly; every mistake names the file, line and key and never repeats a key.

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "live/merchants_file.h"
#include "tests/support/run_reckon.h"

namespace reckon::test {
namespace {

struct TempToml {
  std::string path;
  explicit TempToml(const std::string& text) : path(testing::temp_path("merchants.toml")) {
    std::ofstream(path) << text;
  }
  ~TempToml() { std::remove(path.c_str()); }
};

constexpr const char* kGood = R"(
[[merchant]]
id = "acme"
api_keys = ["sk_live_acme_0123456789abcdef", "sk_live_acme_rotated_00000001"]
webhook = "http://127.0.0.1:9000/hooks"

[[merchant]]
id = "globex"
api_keys = ["sk_live_globex_abcdefabcdef01"]
)";

TEST(MerchantsFile, ReadsKeysAndWebhooks) {
  TempToml file(kGood);
  std::string error;
  auto m = live::load_merchants_file(file.path, error);
  ASSERT_TRUE(m) << error;
  EXPECT_EQ(m->api_keys.size(), 3u);
  EXPECT_EQ(m->api_keys.at("sk_live_acme_rotated_00000001"), "acme");
  EXPECT_EQ(m->api_keys.at("sk_live_globex_abcdefabcdef01"), "globex");
  EXPECT_EQ(m->webhooks.size(), 1u);
  EXPECT_EQ(m->webhooks.at("acme"), "http://127.0.0.1:9000/hooks");
}

TEST(MerchantsFile, EveryMistakeNamesLineAndKeyWithoutEchoingAKey) {
  struct Case {
    const char* text;
    const char* says;
  };
  const Case cases[] = {
      {"[[merchant]]\nid = \"a\"\napi_keys = [\"sk_live_a_0123456789abc\"]\ncolour = 1\n",
       ":4: merchant[0].colour: unknown key"},
      {"[[merchant]]\nid = \"A B\"\napi_keys = [\"sk_live_a_0123456789abc\"]\n",
       ":2: merchant[0].id: must be"},
      {"[[merchant]]\nid = \"a\"\napi_keys = [\"short\"]\n", ":3: merchant[0].api_keys: each key"},
      {"[[merchant]]\nid = \"a\"\napi_keys = []\n", "merchant[0].api_keys: must be a non-empty"},
      {"[[merchant]]\nid = \"a\"\napi_keys = [\"sk_live_a_0123456789abc\"]\n"
       "[[merchant]]\nid = \"b\"\napi_keys = [\"sk_live_a_0123456789abc\"]\n",
       ":6: merchant[1].api_keys: a key is given to two merchants"},
      {"[[merchant]]\nid = \"a\"\napi_keys = [\"sk_live_a_0123456789abc\"]\n"
       "[[merchant]]\nid = \"a\"\napi_keys = [\"sk_live_b_0123456789abc\"]\n",
       ":5: merchant[1].id: 'a' twice"},
      {"[[merchant]]\nid = \"a\"\napi_keys = [\"sk_live_a_0123456789abc\"]\nwebhook = "
       "\"ftp://x\"\n",
       ":4: merchant[0].webhook:"},
      {"merchants = 1\n", ":1: merchants: unknown key"},
      {"[[merchant]]\nid = \"a\"\napi_keys = [\"sk_live_a_0123456789abc\"\n", "not valid TOML"},
      {"", "no [[merchant]]"},
  };
  for (const auto& c : cases) {
    TempToml file(c.text);
    std::string error;
    EXPECT_FALSE(live::load_merchants_file(file.path, error)) << c.text;
    EXPECT_NE(error.find(file.path), std::string::npos) << error;
    EXPECT_NE(error.find(c.says), std::string::npos) << "got: " << error << "\nfor:\n" << c.text;
    EXPECT_EQ(error.find("sk_live_"), std::string::npos) << "a key leaked: " << error;
  }
  std::string error;
  EXPECT_FALSE(live::load_merchants_file("/nonexistent/merchants.toml", error));
  EXPECT_NE(error.find("cannot read"), std::string::npos);
}

TEST(MerchantsFile, ServeRefusesABadFileWithExitTwoBeforeListening) {
  TempToml file("[[merchant]]\nid = \"a\"\napi_keys = [\"short\"]\n");
  const std::string db = testing::temp_path("merchants-serve.db");
  const auto r = testing::run_reckon("serve --db " + db +
                                     " --psp http://127.0.0.1:9 --listen 127.0.0.1:0 --merchants " +
                                     file.path);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--merchants"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("api_keys"), std::string::npos) << r.output;
  std::remove(db.c_str());
}

}  // namespace
}  // namespace reckon::test
