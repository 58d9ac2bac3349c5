#include "live/secret_file.h"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace reckon::live {

std::optional<std::string> read_secret_file(const std::string& flag, const std::string& path,
                                            std::string& error) {
  const std::string where = flag + " '" + path + "': ";
  std::error_code ignored;
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path, ignored)) {
    error = where + "cannot read the file";
    return std::nullopt;
  }
  // Never more than the longest secret plus its newline: a wrong path to a huge file must
  // not be read whole.
  std::string secret(kSecretBytesMax + 3, '\0');
  in.read(secret.data(), static_cast<std::streamsize>(secret.size()));
  if (in.bad()) {
    error = where + "cannot read the file";
    return std::nullopt;
  }
  secret.resize(static_cast<size_t>(in.gcount()));
  if (!secret.empty() && secret.back() == '\n') secret.pop_back();
  if (!secret.empty() && secret.back() == '\r') secret.pop_back();
  if (secret.size() < kSecretBytesMin || secret.size() > kSecretBytesMax) {
    // The length is not named either: it narrows a guess.
    error = where + "the secret must be " + std::to_string(kSecretBytesMin) + " to " +
            std::to_string(kSecretBytesMax) + " bytes (one trailing newline is ignored); it is " +
            (secret.size() < kSecretBytesMin ? "shorter" : "longer");
    return std::nullopt;
  }
  return secret;
}

}  // namespace reckon::live
