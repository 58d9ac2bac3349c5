#pragma once
// Reading an engine answer the way any HTTP caller would: the `error.code` of a body shaped
// `{"error": {"code": "...", "message": "..."}}` (docs/api.md, docs/psp-dialect.md).

#include <string>

namespace reckon::sim {

// The body's `error.code`, or "" when the body is not such an error.
std::string error_code_of(const std::string& body);

}  // namespace reckon::sim
