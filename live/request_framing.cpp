#include "live/request_framing.h"

#include <algorithm>
#include <cctype>

#include "engine/card_token.h"

namespace reckon::live {
namespace {

std::string lower(const std::string& text) {
  std::string out = text;
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string trimmed(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace

std::optional<HeaderRefusal> refuse_header_block(
    const std::vector<std::pair<std::string, std::string>>& fields) {
  int transfer_encodings = 0;
  bool only_chunked = true;
  bool content_length = false;
  for (const auto& [raw_name, value] : fields) {
    const std::string name = lower(raw_name);
    if (name == "transfer-encoding") {
      ++transfer_encodings;
      only_chunked = only_chunked && lower(trimmed(value)) == "chunked";
    }
    content_length = content_length || name == "content-length";
  }
  if (transfer_encodings > 0 && (transfer_encodings > 1 || !only_chunked || content_length)) {
    return HeaderRefusal{400, "transfer_encoding_unsupported",
                         "Transfer-Encoding must be exactly 'chunked', once, without "
                         "Content-Length"};
  }
  for (const char* single : {"authorization", "idempotency-key", "content-type"}) {
    const auto copies = std::count_if(fields.begin(), fields.end(), [&](const auto& field) {
      return lower(field.first) == single;
    });
    if (copies > 1) {
      return HeaderRefusal{400, "header_repeated",
                           "the " + std::string(single) + " header is sent more than once"};
    }
  }
  return std::nullopt;
}

std::string loggable_path(const std::string& path) {
  return engine::contains_card_number(path) ? "[card number]" : path;
}

}  // namespace reckon::live
