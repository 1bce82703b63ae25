#pragma once
// Economics figures as template views: each value with its unit, formula and inputs (with the
// source and date of every price), or the reason it is unavailable.

#include "econ/economics.hpp"
#include "site/templates.hpp"

namespace sitegen::site {

// {"name","label","text","unit","available","reason","formula","inputs":[{name,value,unit,source}]}
View figure_view(const econ::Figure& figure, const std::string& label);

// "$0.0485" style text of a figure, or "unavailable".
std::string figure_text(const econ::Figure& figure);

// The economics section of a configuration page.
View economics_view(const econ::ConfigEconomics& economics, const model::Report& report);

// The cheapest rental $/1M tokens at the SLO point, when any rental figure is available.
const econ::Figure* cheapest_rental_at_slo(const econ::ConfigEconomics& economics);

}  // namespace sitegen::site
