#pragma once
// The interface every external result format implements, and what an import tells the user.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/value_stream.hpp"
#include "model/report.hpp"

namespace sitegen::ingest {

// What became of one file's fields: the per-file account `sitegen import` prints.
struct Account {
  std::vector<std::string> mapped;      // producer fields now in canonical fields
  std::vector<std::string> extra;       // producer fields kept verbatim under an `extra`
  std::vector<std::string> unreadable;  // "field: why" for values that could not be used
  std::vector<std::string> warnings;    // cross-check differences, definition differences
  std::vector<std::string> consumed;    // companion files read along (e.g. per-request records)
  std::size_t cross_checked = 0;        // values recomputed from per-request samples and compared
};

// A file being imported: its name as given and its top-level JSON values (or, for a text format,
// its text).
struct Source {
  std::string file;                 // as the user gave it (used in messages and provenance)
  std::filesystem::path path;       // to find companion files beside it
  std::vector<StreamValue> values;  // at least one for a JSON format; empty for a text format
  std::string text;                 // the file's text, for a text format only
  std::string content_hash;         // 12 hex digits of the file's bytes, for run ids
};

struct Conversion {
  std::vector<model::Report> reports;
  Account account;
};

class Importer {
 public:
  virtual ~Importer() = default;
  // Short stable name for --format and provenance.source_format ("vllm", "sglang", ...).
  virtual std::string name() const = 0;
  // One line for --list-formats.
  virtual std::string description() const = 0;
  // "" when the value looks like this producer's output, else why not (for the error listing
  // every format tried). Looks at content only, never at the file name.
  virtual std::string detect(const Json& first_value) const = 0;
  // A format written as text, not JSON (MLPerf's loadgen summary), is recognised from the raw text
  // ("" when it matches, else why not) and converted from Source::text. JSON formats keep these.
  virtual bool reads_text() const { return false; }
  virtual std::string detect_text(std::string_view) const { return "not a text format"; }
  // Every report the file holds. Throws Error naming file and JSON pointer for values of the
  // wrong type or a file with no benchmark numbers at all.
  virtual Conversion convert(const Source& source) const = 0;
};

// One factory per format file.
std::unique_ptr<Importer> make_vllm_importer();
std::unique_ptr<Importer> make_vllm_multi_turn_importer();
std::unique_ptr<Importer> make_inferencex_agg_importer();
std::unique_ptr<Importer> make_sglang_importer();
std::unique_ptr<Importer> make_genai_perf_importer();
std::unique_ptr<Importer> make_aiperf_importer();
std::unique_ptr<Importer> make_aiperf_records_importer();
std::unique_ptr<Importer> make_guidellm_importer();
std::unique_ptr<Importer> make_llmperf_summary_importer();
std::unique_ptr<Importer> make_llmperf_individual_importer();
std::unique_ptr<Importer> make_developer_ai_lab_importer();
std::unique_ptr<Importer> make_token_labs_importer();
std::unique_ptr<Importer> make_iso_bench_importer();
std::unique_ptr<Importer> make_forge_charts_importer();
std::unique_ptr<Importer> make_portfolio_importer();
std::unique_ptr<Importer> make_portfolio_speculative_importer();
std::unique_ptr<Importer> make_mlperf_importer();

}  // namespace sitegen::ingest
