#include "chart/charts.hpp"

namespace sitegen::chart {

// Placeholder bodies so the contract links while the chart kinds are written.
std::string render(const LineChart&) { return "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"; }
std::string render(const ParetoChart&) { return "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"; }
std::string render(const BarChart&) { return "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"; }
std::vector<Point> pareto_frontier(const std::vector<Point>&) { return {}; }

}  // namespace sitegen::chart
