#pragma once
// reconciliation-exact: the simulated PSP's day reports (sim/settlement_writer.h) are fed to
// the engine's reconciliation job, and what it flags is compared with what was injected.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/reconcile/reconciler.h"
#include "faults/fault_plan.h"
#include "sim/engine_node.h"
#include "sim/fault_injector.h"
#include "sim/psp_endpoint.h"
#include "sim/psp_node.h"
#include "sim/run_types.h"
#include "sim/settlement_writer.h"
#include "sim/trace.h"

namespace reckon::sim {

// Writes the reports, runs the engine's reconciliation job over them (booking into the
// engine's ledger) and checks reconciliation-exact; a failure is appended to `failures`.
// First the job must refuse a copy of the reports with one malformation drawn from the
// seed's "settlement-malformed" stream, naming where it is and booking nothing.
// `node` hosts `engine`: it tells when the engine took each success (EngineNode::success_taken),
// which decides whether an operation is due in the job's period.
void check_reconciliation(const PspNode& psp, const PspEndpoint& endpoint, FaultInjector& faults,
                          const faults::SettlementFaults& plan, const EngineNode& node,
                          engine::PaymentEngine& engine, const engine::PlantedDefects& planted,
                          int64_t epoch_unix_us, TimeUs clock_tolerance_us, TimeUs now_us,
                          uint64_t seed, Trace& trace, std::vector<Failure>& failures);

}  // namespace reckon::sim
