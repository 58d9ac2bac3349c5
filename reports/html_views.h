#pragma once
// The drawings of the HTML report, as inline SVG: the run's timeline (a lane per node,
// messages as lines between lanes) and a payment's sequence view. Pure functions of the
// parsed trace; html.cpp puts them in the page.

#include <string>
#include <vector>

#include "reports/trace_events.h"

namespace reckon::reports {

// `highlight`: indexes (sorted) of the failing payment's events, drawn in colour.
// `failure_at_us`: where the red "property failed" line goes.
std::string timeline_svg(const std::vector<TraceEvent>& events,
                         const std::vector<size_t>& highlight, int64_t failure_at_us);

// Columns for the lanes the payment touches, one row per event, arrows from each send to
// its receipt; lost messages end in a cross. `marker_id`: the arrowhead's element id, unique
// in the page (one sequence view per failing seed).
std::string sequence_svg(const std::vector<TraceEvent>& events, const std::vector<size_t>& rows,
                         const std::string& marker_id);

}  // namespace reckon::reports
