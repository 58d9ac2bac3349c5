#pragma once
// The simulator shares the engine's always-on invariant macro.
#include "engine/check.h"
