#pragma once
#include "engine/store/db.h"

namespace reckon::engine {

// Creates the engine's tables and triggers if absent, and sets the connection's durability
// pragmas (synchronous=FULL: an acknowledged commit is on disk).
Status apply_schema(Db& db);

}  // namespace reckon::engine
