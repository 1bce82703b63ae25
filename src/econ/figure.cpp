#include "econ/figure.hpp"

#include <cmath>

namespace sitegen::econ {

Figure figure(std::string name, std::string unit, std::string formula, std::vector<Input> inputs, double value) {
  Figure f;
  f.name = std::move(name);
  f.unit = std::move(unit);
  f.formula = std::move(formula);
  f.inputs = std::move(inputs);
  if (std::isfinite(value)) f.value = value;
  else f.reason = "the formula gave no finite value (a zero input?)";
  return f;
}

Figure unavailable(std::string name, std::string unit, std::string formula, std::string reason) {
  Figure f;
  f.name = std::move(name);
  f.unit = std::move(unit);
  f.formula = std::move(formula);
  f.reason = std::move(reason);
  return f;
}

std::string first_reason(std::initializer_list<const Figure*> figures) {
  for (const Figure* f : figures) {
    if (!f->available()) return f->reason;
  }
  return "";
}

std::string cite(const std::string& entry, const Sourced& sourced) {
  return "catalog " + entry + ": " + sourced.source + " (" + sourced.as_of + ")";
}

}  // namespace sitegen::econ
