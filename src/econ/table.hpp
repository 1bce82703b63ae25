#pragma once
// The economics as terminal text: a table of figures per load level, then each headline figure
// with its formula and inputs, so a reader can redo the arithmetic.

#include <iosfwd>

#include "econ/economics.hpp"

namespace sitegen::econ {

// One figure with its formula and every input on the lines below it (or "unavailable: why").
void print_figure(const Figure& figure, const std::string& label, std::ostream& out);

// Every figure of one operating point (a measured load level or a what-if).
void print_point(const PointEconomics& point, std::ostream& out);

// A configuration: hardware match and assumptions, a table over load levels, the SLO point,
// $/1M at the SLO, $/developer-month, break-even volumes, then the SLO point in detail.
void print_config(const ConfigEconomics& economics, std::ostream& out);

// The operating point a configuration's headline figures come from: the SLO point, else the
// highest measured throughput; nullptr when no point has one.
const PointEconomics* headline_point(const ConfigEconomics& economics);

}  // namespace sitegen::econ
