#include "model/check_files.hpp"

#include "model/json_io.hpp"
#include "model/validate.hpp"
#include "util/files.hpp"

namespace sitegen::model {

CheckResult check_report_files(const std::vector<std::filesystem::path>& paths) {
  CheckResult result;
  for (const std::filesystem::path& root : paths) {
    const bool named = !std::filesystem::is_directory(root);
    const files::Listing listing = files::list_recursive({root}, named ? "" : ".json");
    for (const std::string& p : listing.problems) {
      result.problems.push_back({Problem::Severity::error, "", "", p});
      ++result.invalid;
    }
    for (const std::filesystem::path& file : listing.files) {
      const std::string name = file.string();
      Json json;
      try {
        json = read_json_file(file, k_max_report_bytes);
      } catch (const Error& e) {
        ++result.checked;
        ++result.invalid;
        result.problems.push_back({Problem::Severity::error, "", "", e.what()});
        continue;
      }
      if (!named && !claims_to_be_report(json)) {
        ++result.skipped;
        continue;
      }
      ++result.checked;
      std::vector<Problem> problems = validate_report(json, name);
      if (has_errors(problems)) ++result.invalid;
      result.problems.insert(result.problems.end(), problems.begin(), problems.end());
    }
  }
  return result;
}

std::vector<Problem> check_report_text(std::string_view text, const std::string& file) {
  if (text.size() > k_max_report_bytes) {
    return {{Problem::Severity::error, file, "",
             "the report would be " + std::to_string(text.size() >> 20) + " MiB, over the " +
                 std::to_string(k_max_report_bytes >> 20) + " MiB sitegen reads"}};
  }
  std::vector<Problem> problems;
  try {
    problems = validate_report(parse_json(text, file), file);
  } catch (const Error& e) {
    return {{Problem::Severity::error, "", "", e.what()}};
  }
  std::erase_if(problems, [](const Problem& p) { return p.severity != Problem::Severity::error; });
  return problems;
}

std::string error_lines(const std::vector<Problem>& problems) {
  std::string out;
  for (const Problem& p : problems) {
    if (p.severity != Problem::Severity::error) continue;
    if (!out.empty()) out += "\n";
    out += p.str();
  }
  return out;
}

}  // namespace sitegen::model
