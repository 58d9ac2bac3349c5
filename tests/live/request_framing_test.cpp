// The live server's header-block rules (live/request_framing.h): framing a proxy could read
// differently is refused (RFC 9112 §6.1, §6.3), so is a repeated single-value header, and a
// card number in a path never reaches the log.

#include "live/request_framing.h"

#include <gtest/gtest.h>

namespace reckon::live {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

TEST(RequestFraming, OnlyOneChunkedTransferEncodingIsAccepted) {
  EXPECT_FALSE(refuse_header_block({{"Host", "x"}, {"Transfer-Encoding", "chunked"}}));
  EXPECT_FALSE(refuse_header_block({{"transfer-encoding", " Chunked "}}));
  EXPECT_FALSE(refuse_header_block({{"Content-Length", "5"}}));
  for (const Fields& smuggling : std::vector<Fields>{
           {{"Transfer-Encoding", "gzip"}},
           {{"Transfer-Encoding", "identity"}},
           {{"Transfer-Encoding", "xchunked"}},
           {{"Transfer-Encoding", "chunked, chunked"}},
           {{"Transfer-Encoding", "gzip, chunked"}},
           {{"Transfer-Encoding", "chunked"}, {"transfer-encoding", "chunked"}},
           {{"Transfer-Encoding", "chunked"}, {"Content-Length", "3"}},
       }) {
    const auto refusal = refuse_header_block(smuggling);
    ASSERT_TRUE(refusal) << smuggling[0].second;
    EXPECT_EQ(refusal->status, 400);
    EXPECT_EQ(refusal->code, "transfer_encoding_unsupported");
  }
}

TEST(RequestFraming, ASingleValueHeaderSentTwiceIsRefused) {
  for (const char* name : {"Idempotency-Key", "Authorization", "Content-Type"}) {
    const auto refusal = refuse_header_block({{name, "a"}, {"Host", "x"}, {name, "b"}});
    ASSERT_TRUE(refusal) << name;
    EXPECT_EQ(refusal->code, "header_repeated");
  }
  // Case does not make two headers different; other headers may repeat.
  EXPECT_TRUE(refuse_header_block({{"idempotency-key", "a"}, {"IDEMPOTENCY-KEY", "a"}}));
  EXPECT_FALSE(refuse_header_block({{"Accept", "a"}, {"Accept", "b"}}));
}

TEST(RequestFraming, ACardNumberInAPathIsNotLogged) {
  EXPECT_EQ(loggable_path("/v1/charges/ch_1"), "/v1/charges/ch_1");
  EXPECT_EQ(loggable_path("/v1/charges/4111111111111111"), "[card number]");
  EXPECT_EQ(loggable_path("/v1/charges/4111-1111-1111-1111/capture"), "[card number]");
}

}  // namespace
}  // namespace reckon::live
