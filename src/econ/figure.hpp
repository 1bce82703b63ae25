#pragma once
// Building Figures: a value with its formula and inputs, or unavailable with the reason.
// Internal to econ/ (the public types are in economics.hpp).

#include <initializer_list>
#include <string>

#include "econ/economics.hpp"

namespace sitegen::econ {

// An available figure. A non-finite value (a division that should have been guarded) becomes
// unavailable rather than ever showing as inf or nan.
Figure figure(std::string name, std::string unit, std::string formula, std::vector<Input> inputs, double value);

// An unavailable figure with the reason.
Figure unavailable(std::string name, std::string unit, std::string formula, std::string reason);

// The reason of the first unavailable figure in the list, "" when all are available.
std::string first_reason(std::initializer_list<const Figure*> figures);

// "catalog h100-sxm: <source> (<as_of>)".
std::string cite(const std::string& entry, const Sourced& sourced);

}  // namespace sitegen::econ
