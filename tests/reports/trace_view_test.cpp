// reckon replay --print's filters: by node, by payment (with the receipt of the messages a
// payment's lines sent), by time range; and the column layout.
#include <gtest/gtest.h>

#include "reports/trace_view.h"
#include "tests/support/run_reckon.h"

namespace reckon::reports {
namespace {

const std::vector<std::string> kTrace = {
    "t=0 world begin seed=1 scenario=default",
    "t=37824 client-2 send msg0 to=engine-0 POST /v1/charges key=client-2-o1-pay1 attempt=1",
    "t=40000 client-3 send msg1 to=engine-0 POST /v1/charges key=client-3-o1-pay1 attempt=1",
    "t=43223 engine-0 recv msg0",
    "t=44000 engine-0 recv msg1",
    "t=60075 client-2 response key=client-2-o1-pay1 status=201",
};

TEST(TraceView, FiltersByNodeAndNodePrefix) {
  TraceFilter f;
  f.node = "engine-0";
  EXPECT_EQ(filter_trace(kTrace, f).size(), 2u);
  f.node = "client-";
  const auto clients = filter_trace(kTrace, f);
  ASSERT_EQ(clients.size(), 3u);
  for (const auto& line : clients) EXPECT_NE(line.find(" client-"), std::string::npos);
  f.node = "client";  // not a prefix filter without the dash
  EXPECT_TRUE(filter_trace(kTrace, f).empty());
}

TEST(TraceView, APaymentKeepsItsLinesAndTheReceiptOfItsMessages) {
  TraceFilter f;
  f.payment = "client-2-o1";
  const auto lines = filter_trace(kTrace, f);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], kTrace[1]);
  EXPECT_EQ(lines[1], kTrace[3]) << "the engine's receipt of msg0 belongs to the payment";
  EXPECT_EQ(lines[2], kTrace[5]);
}

TEST(TraceView, FiltersByTimeRangeInclusive) {
  TraceFilter f;
  f.from_us = 40000;
  f.to_us = 44000;
  const auto lines = filter_trace(kTrace, f);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines.front(), kTrace[2]);
  EXPECT_EQ(lines.back(), kTrace[4]);
}

TEST(TraceView, LaysLinesOutInColumns) {
  EXPECT_EQ(format_trace_line("t=43223 engine-0 recv msg0"),
            "        43.223 ms  engine-0   recv         msg0");
  EXPECT_EQ(format_trace_line("not a trace line"), "not a trace line");
}

TEST(TraceView, ReplayPrintsAFilteredTraceThroughTheCli) {
  const std::string decisions = reckon::testing::temp_path("trace-view-decisions.json");
  ASSERT_EQ(reckon::testing::run_reckon("run --seed 1 --decisions " + decisions).exit_code, 0);
  const auto r = reckon::testing::run_reckon("replay --decisions " + decisions +
                                             " --node psp --from-ms 0 --to-ms 200");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find(" ms  psp "), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find(" ms  engine-0 "), std::string::npos) << "only the psp's lines";
  const auto bad =
      reckon::testing::run_reckon("replay --decisions " + decisions + " --from-ms 10 --to-ms 5");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("is after --to-ms"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace reckon::reports
