#pragma once
// The PSP idempotency key of an operation.

#include <string>
#include <string_view>

namespace reckon::engine {

// Derived from who asked for the operation and under which key, so every attempt of the
// operation, before or after a restart, carries the same PSP key. The operation id is part
// of it: a merchant key reused after its retention window is a new operation and must not
// collapse into the old one at the PSP.
std::string derive_psp_key(const std::string& merchant, const std::string& idem_key,
                           std::string_view kind, const std::string& operation_id);

}  // namespace reckon::engine
