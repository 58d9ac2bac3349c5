#pragma once
// Reads a whole TOML file, with an error naming the file (and line) when it cannot be read
// or parsed. Header-only and beside the layers, so the strict file readers of faults/
// (required coverage) and live/ (merchants), which may not include each other, share it.

#include <toml++/toml.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace reckon::config {

// The document, or nullopt with `error` as "PATH: cannot read the file" or
// "PATH:LINE: not valid TOML: WHY".
inline std::optional<toml::table> parse_toml_file(const std::string& path, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = path + ": cannot read the file";
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  try {
    return toml::parse(text.str(), path);
  } catch (const toml::parse_error& e) {
    error = path + ":" + std::to_string(e.source().begin.line) +
            ": not valid TOML: " + std::string(e.description());
    return std::nullopt;
  }
}

}  // namespace reckon::config
