#pragma once
// Escaping text for XML and HTML: the five special characters become entities, and control
// characters that XML 1.0 forbids are dropped, so any failure detail makes a valid document.

#include <string>
#include <string_view>

namespace reckon::reports {

std::string xml_escape(std::string_view text);

}  // namespace reckon::reports
