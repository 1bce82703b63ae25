// model::validate_report, the schema interpreter every report passes through: any JSON document
// gets problems that each name the file, and a document without errors converts to a Report
// (from_json) whose JSON form validates again.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "model/json_io.hpp"
#include "model/validate.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sitegen;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  model::Json document;
  try {
    document = model::parse_json(text, "report.json");
  } catch (const Error& e) {
    fuzz::check_names_file(e.what(), "report.json");
    return 0;
  }
  const std::vector<Problem> problems = model::validate_report(document, "report.json");
  for (const Problem& p : problems) {
    fuzz::check(p.file == "report.json", "a problem that does not name the file: " + p.str());
    fuzz::check(!p.message.empty(), "a problem without a message");
  }
  if (has_errors(problems)) return 0;
  model::Report report;
  try {
    report = model::from_json(document, "report.json");
  } catch (const Error& e) {
    fuzz::fail(std::string("a valid document that from_json refuses: ") + e.what());
  }
  for (const Problem& p : model::validate_report(model::to_json(report), "report.json")) {
    fuzz::check(p.severity != Problem::Severity::error, "a valid report whose JSON form is invalid: " + p.str());
  }
  return 0;
}
