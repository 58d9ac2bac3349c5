#pragma once
// Reads a shared secret (the PSP webhook signing secret) from a file, so it never appears
// on a command line, in `ps`, or in a shell history. One trailing newline (LF or CRLF) is
// stripped: `echo SECRET > FILE` works.
//
// INVARIANT: no error message contains the secret or any part of the file's contents;
// errors name the flag and the file only.

#include <cstddef>
#include <optional>
#include <string>

namespace reckon::live {

inline constexpr size_t kSecretBytesMin = 16;  // shorter secrets are guessable
inline constexpr size_t kSecretBytesMax = 4096;

// The secret in `path`, or nullopt with `error` ("FLAG 'PATH': problem").
std::optional<std::string> read_secret_file(const std::string& flag, const std::string& path,
                                            std::string& error);

}  // namespace reckon::live
