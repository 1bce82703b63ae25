// bench::json_scan, the strict JSON scanner the benchmark reads every streamed chunk with, checked
// against nlohmann's parser: both accept the same texts (except nesting beyond the scanner's 512
// levels) and report the same tokens (keys and strings decoded, integers, other scalars) in the
// same order (NUL bytes aside, which nlohmann takes for the end of the input). read_chunk on the
// same text never fails and gives a reason for what it refuses.
#include <climits>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/json_scan.hpp"
#include "bench/sse_parser.hpp"
#include "fuzz_check.hpp"

namespace {

using Tokens = std::vector<std::string>;

class Recorder : public sitegen::bench::JsonHandler {
 public:
  Tokens tokens;
  bool start_object() override { return push("{"); }
  bool key(const sitegen::bench::JsonString& k) override { return push("k:" + k.decoded()); }
  bool end_object() override { return push("}"); }
  bool start_array() override { return push("["); }
  bool end_array() override { return push("]"); }
  bool string(const sitegen::bench::JsonString& s) override {
    sitegen::fuzz::check(s.equals(s.decoded()), "JsonString::equals disagrees with decoded()");
    return push("s:" + s.decoded());
  }
  bool integer(long long v) override { return push("i:" + std::to_string(v)); }
  bool scalar() override { return push("x"); }

 private:
  bool push(std::string t) {
    tokens.push_back(std::move(t));
    return true;
  }
};

struct Reference : nlohmann::json_sax<nlohmann::json> {
  Tokens tokens;
  bool null() override { return push("x"); }
  bool boolean(bool) override { return push("x"); }
  bool number_integer(number_integer_t v) override { return push("i:" + std::to_string(v)); }
  bool number_unsigned(number_unsigned_t v) override {
    return push(v <= static_cast<number_unsigned_t>(LLONG_MAX) ? "i:" + std::to_string(v) : "x");
  }
  bool number_float(number_float_t, const string_t&) override { return push("x"); }
  bool string(string_t& s) override { return push("s:" + s); }
  bool binary(binary_t&) override { return push("x"); }
  bool start_object(std::size_t) override { return push("{"); }
  bool key(string_t& k) override { return push("k:" + k); }
  bool end_object() override { return push("}"); }
  bool start_array(std::size_t) override { return push("["); }
  bool end_array() override { return push("]"); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  bool push(std::string t) {
    tokens.push_back(std::move(t));
    return true;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sitegen;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  Recorder scanned;
  std::string error;
  const bool scan_ok = bench::json_scan(text, scanned, error);
  if (!scan_ok) fuzz::check(!error.empty(), "json_scan failed without saying why");
  const bench::Chunk chunk = bench::read_chunk(text);
  if (chunk.kind == bench::Chunk::Kind::malformed) fuzz::check(!chunk.message.empty(), "a malformed chunk with no reason");
  if (chunk.kind == bench::Chunk::Kind::data) fuzz::check(scan_ok, "read_chunk took a chunk json_scan refuses");

  // nlohmann stops at a NUL byte as at the end of the input ("8\0x" is 8 to it); JSON allows no
  // NUL anywhere, so the scanner must refuse it and the reference has nothing to say.
  if (text.find('\0') != std::string_view::npos) {
    fuzz::check(!scan_ok, "json_scan accepts a NUL byte");
    return 0;
  }
  Reference reference;
  const bool reference_ok = nlohmann::json::sax_parse(text, &reference);
  if (scan_ok) {
    fuzz::check(reference_ok, "json_scan accepts what nlohmann refuses");
    fuzz::check(scanned.tokens == reference.tokens, "json_scan reports other tokens than nlohmann");
  } else if (reference_ok) {
    fuzz::check(error.starts_with("nested too deeply"), "json_scan refuses valid JSON: " + error);
  }

  return 0;
}
