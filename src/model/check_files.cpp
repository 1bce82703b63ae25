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
        json = read_json_file(file);
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

}  // namespace sitegen::model
