// Simulated payments per second: whole runs of the default scenario (faults on, every
// property checked), and the same with faults off; one default seed and one swarm seed as
// `reckon run` runs them; and payments through the out-of-process adapter protocol.
// Report items_per_second (orders). Instruction counts: bench/instructions.sh.
#include <benchmark/benchmark.h>

#include "adapters/adapter_route.h"
#include "adapters/check.h"
#include "adapters/judge.h"
#include "adapters/process_link.h"
#include "adapters/session.h"
#include "cli/allocator.h"
#include "sim/world.h"

namespace {

void run_seeds(benchmark::State& state, reckon::sim::RunConfig config) {
  uint64_t seed = 1;
  int64_t orders = 0;
  for (auto _ : state) {
    config.seed = seed++;
    const auto result = reckon::sim::run_simulation(config);
    if (!result.passed()) state.SkipWithError("a property failed in the benchmark");
    orders += result.stats.orders;
    benchmark::DoNotOptimize(result.trace_hash);
  }
  state.SetItemsProcessed(orders);
}

void BM_SimulatedPaymentsDefaultFaults(benchmark::State& state) {
  reckon::sim::RunConfig config;
  config.clients = static_cast<int>(state.range(0));
  config.client.payments = 25;
  run_seeds(state, config);
}
BENCHMARK(BM_SimulatedPaymentsDefaultFaults)->Arg(4)->Arg(16)->Unit(benchmark::kMillisecond);

void BM_SimulatedPaymentsNoFaults(benchmark::State& state) {
  reckon::sim::RunConfig config;
  config.clients = static_cast<int>(state.range(0));
  config.client.payments = 25;
  config.faults = reckon::faults::quiet_fault_plan();
  run_seeds(state, config);
}
BENCHMARK(BM_SimulatedPaymentsNoFaults)->Arg(4)->Arg(16)->Unit(benchmark::kMillisecond);

// One seed, the same every iteration: the unit a sweep repeats.
void run_one_seed(benchmark::State& state, reckon::sim::RunConfig config) {
  config.seed = 1;
  int64_t orders = 0;
  for (auto _ : state) {
    const auto result = reckon::sim::run_simulation(config);
    if (!result.passed()) state.SkipWithError("a property failed in the benchmark");
    orders += result.stats.orders;
  }
  state.SetItemsProcessed(orders);
}

// `reckon run --seed 1`.
void BM_DefaultSeed(benchmark::State& state) {
  run_one_seed(state, reckon::sim::RunConfig{});
}
BENCHMARK(BM_DefaultSeed)->Unit(benchmark::kMillisecond);

// `reckon run --seed 1 --swarm`: a random subset of fault kinds.
void BM_SwarmSeed(benchmark::State& state) {
  reckon::sim::RunConfig config;
  config.swarm = true;
  run_one_seed(state, config);
}
BENCHMARK(BM_SwarmSeed)->Unit(benchmark::kMillisecond);

// A payment (authorize, then capture) through the adapter protocol to an adapter, on a
// quiet network: JSON round trips over pipes plus the simulated provider (what
// `reckon adapter-check --bench N` times).
void adapter_payments(benchmark::State& state, const char* command) {
  namespace ad = reckon::adapters;
  ad::ProcessLink link(command, 5000, 5000);
  const ad::Capabilities caps = ad::handshake(link);
  ad::Session session(link, caps, 1, ad::quiet_adapter_plan());
  session.keep_transcript(false);
  int64_t payments = 0;
  for (auto _ : state) {
    const ad::OpRun a = session.run(ad::authorize_op(session, 1999, "USD", false));
    const ad::OpRun c =
        session.run(ad::capture_op(session, a.text("authorization_id"), 1999, "USD", 1999));
    if (a.outcome != "succeeded" || c.outcome != "succeeded") {
      state.SkipWithError("a payment through the adapter did not succeed");
      break;
    }
    ++payments;
  }
  link.finish();
  state.SetItemsProcessed(payments);
}

// The C++ example adapter (sdk/).
void BM_AdapterPayments(benchmark::State& state) {
  adapter_payments(state, RECKON_EXAMPLE_ADAPTER);
}
BENCHMARK(BM_AdapterPayments)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The Python example adapter, as the docs run it (`python3` from PATH).
void BM_PythonAdapterPayments(benchmark::State& state) {
  adapter_payments(state, "python3 " RECKON_EXAMPLES_DIR "/adapters/python/adapter.py");
}
BENCHMARK(BM_PythonAdapterPayments)->Unit(benchmark::kMicrosecond)->UseRealTime();

// `reckon run --seed 1 --adapter CMD`: the default seed with the engine's PSP calls through
// an adapter, which is started for the seed and again after each engine crash (16 in seed
// 1), so the adapter's start-up time is part of the figure.
void run_seed_through_adapter(benchmark::State& state, const char* command) {
  reckon::sim::RunConfig config;
  config.psp_route = reckon::adapters::adapter_route_factory(command);
  run_one_seed(state, config);
}
void BM_DefaultSeedThroughCppAdapter(benchmark::State& state) {
  run_seed_through_adapter(state, RECKON_EXAMPLE_ADAPTER);
}
BENCHMARK(BM_DefaultSeedThroughCppAdapter)->Unit(benchmark::kMillisecond)->UseRealTime();
void BM_DefaultSeedThroughPythonAdapter(benchmark::State& state) {
  run_seed_through_adapter(state, "python3 " RECKON_EXAMPLES_DIR "/adapters/python/adapter.py");
}
BENCHMARK(BM_DefaultSeedThroughPythonAdapter)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  // The same allocator tuning as the reckon command (cli/allocator.h), so the figure is
  // what a sweep sees.
  reckon::cli::tune_allocator_for_simulation();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
