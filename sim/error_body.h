#pragma once
// Reading an engine answer the way any HTTP caller would: the `error.code` of a body shaped
// `{"error": {"code": "...", "message": "..."}}` (docs/api.md, docs/psp-dialect.md).

#include <string>

namespace reckon::sim {

// The body's `error.code`, or "" when the body is not such an error.
std::string error_code_of(const std::string& body);

// Whether the body's `error.message` is a non-empty string: docs/api.md gives every error a
// message for the human reading it, next to the code a program reads.
bool error_has_message(const std::string& body);

// Whether an answer claims a failed commit: docs/api.md's 503 `storage_unavailable`. In a plan
// with every storage fault off no commit can fail, so there the claim is a refusal of service.
bool claims_storage_failure(int status, const std::string& body);

}  // namespace reckon::sim
