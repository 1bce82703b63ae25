// econ::parse_catalog and check_catalog, the reader of site/pricing.json or --pricing FILE: any
// document is a catalog or an Error that names the file; a catalog that passes its checks matches
// GPU names without failing.
#include <cstddef>
#include <cstdint>

#include "econ/catalog.hpp"
#include "fuzz_check.hpp"
#include "model/json_io.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sitegen;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  econ::Catalog catalog;
  try {
    catalog = econ::parse_catalog(model::parse_json(text, "pricing.json"), "pricing.json");
    econ::check_catalog(catalog);
  } catch (const Error& e) {
    fuzz::check_names_file(e.what(), "pricing.json");
    return 0;
  }
  for (const econ::Hardware& h : catalog.hardware) {
    fuzz::check(catalog.find(h.id) != nullptr, "a hardware entry that find() does not find by its id");
    for (const std::string& alias : h.aliases) {
      const econ::GpuMatch m = econ::match_gpu(catalog, alias);
      (void)m.describe();
    }
    (void)econ::match_gpu(catalog, h.name).describe();
  }
  (void)econ::match_gpu(catalog, "NVIDIA H100 80GB HBM3").describe();
  return 0;
}
