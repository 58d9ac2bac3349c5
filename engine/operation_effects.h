#pragma once
// What an operation's outcome means for its charge and the ledger: shared by the paths
// that book outcomes (a PSP reply, a lookup, a PSP webhook).

#include <string>
#include <vector>

#include "engine/ledger.h"
#include "engine/psp.h"
#include "engine/store/records.h"

namespace reckon::engine {

// succeeded, declined and failed are final; pending and unknown are not.
bool is_final(const std::string& operation_status);

// The balanced entries an operation's success writes (chart of accounts: docs/ledger.md).
std::vector<LedgerEntry> success_entries(const ChargeRow& charge, const OperationRow& op);

// What an operation's success does to its charge.
void apply_success(ChargeRow& charge, const OperationRow& op, const PspReply& reply);

PspOp psp_op_for(const std::string& operation_kind);

}  // namespace reckon::engine
