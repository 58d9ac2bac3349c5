// Simulated payments per second: whole runs of the default scenario (faults on, every
// property checked), and the same with faults off. Report items_per_second (orders).
#include <benchmark/benchmark.h>

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
