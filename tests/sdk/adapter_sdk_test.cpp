// The C++ adapter SDK (sdk/include/reckon/adapter.h) hands an adapter what the harness sends:
// an http_response's status, body and headers (Retry-After on a 429, docs/adapters.md), and
// nothing for an http_timeout.
#include <gtest/gtest.h>
#include <reckon/adapter.h>

#include <sstream>

namespace reckon::adapter_sdk {
namespace {

TEST(AdapterSdk, AnAnswersHeadersReachTheAdapter) {
  std::istringstream in(
      R"({"type":"http_response","id":"op-1","status":429,"body":"{}","headers":{"Retry-After":"1"}})"
      "\n"
      R"({"type":"http_response","id":"op-1","status":200,"body":"{\"outcome\":\"succeeded\"}"})"
      "\n"
      R"({"type":"http_timeout","id":"op-1"})"
      "\n");
  std::ostringstream out;
  detail::ProtocolTransport t(in, out);
  t.op_id = "op-1";
  HttpRequest r;
  r.method = "POST";
  r.path = "/v1/authorizations";
  const auto limited = t.send(r);
  ASSERT_TRUE(limited.has_value());
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(limited->headers.at("Retry-After"), "1");
  const auto ok = t.send(r);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->status, 200);
  EXPECT_TRUE(ok->headers.empty());
  EXPECT_FALSE(t.send(r).has_value()) << "an http_timeout is no answer";
  // Three requests went out, each naming the operation.
  std::istringstream sent(out.str());
  int lines = 0;
  for (std::string line; std::getline(sent, line); ++lines) {
    EXPECT_EQ(nlohmann::json::parse(line).at("id"), "op-1");
  }
  EXPECT_EQ(lines, 3);
}

}  // namespace
}  // namespace reckon::adapter_sdk
