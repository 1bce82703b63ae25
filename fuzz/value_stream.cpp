// ingest::read_values, the reader of the not-quite-JSON files producers write: every input either
// gives values (each starting on a line of the text) or an Error that names the file; finite_copy
// of every value gives JSON that serialises without infinities.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "ingest/value_stream.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sitegen;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<ingest::StreamValue> values;
  try {
    values = ingest::read_values(text, "input.json");
  } catch (const Error& e) {
    fuzz::check_names_file(e.what(), "input.json");
    return 0;
  }
  fuzz::check(!values.empty(), "read_values returned no value and no error");
  std::size_t lines = 1;
  for (char c : text) lines += c == '\n';
  std::size_t previous = 1;
  for (const ingest::StreamValue& v : values) {
    fuzz::check(v.line >= previous && v.line <= lines, "a value's line is outside the text or out of order");
    previous = v.line;
    // Strict JSON (what a report keeps in `extra`) must come out: dump throws on invalid UTF-8.
    (void)ingest::finite_copy(v.value).dump();
  }
  return 0;
}
