// site::parse_settings, the reader of site/site.json: any document is settings or an Error that
// names the file and the field; settings keep exactly the strings the document gave.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "model/json_io.hpp"
#include "site/inputs.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sitegen;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  model::Json document;
  site::Settings settings;
  try {
    document = model::parse_json(text, "site.json");
    settings = site::parse_settings(document, "site.json");
  } catch (const Error& e) {
    fuzz::check_names_file(e.what(), "site.json");
    return 0;
  }
  if (document.contains("title")) fuzz::check(settings.title == document["title"], "title not kept as given");
  if (document.contains("footer")) fuzz::check(settings.footer == document["footer"], "footer not kept as given");
  if (!settings.repo_url.empty()) fuzz::check(settings.repo_url.starts_with("http"), "a repo_url that is not http(s)");
  return 0;
}
