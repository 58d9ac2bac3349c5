#pragma once
#include "engine/ports.h"
#include "engine/store/db.h"

namespace reckon::engine {

// Creates the engine's tables and triggers if absent, and sets the connection's journal
// and synchronous pragmas for `durability` (engine/ports.h says what each guarantees).
Status apply_schema(Db& db, Durability durability = Durability::kRollbackFull);

}  // namespace reckon::engine
