#pragma once
// `sitegen import`: files or directories of other tools' results -> validated report.json v1
// reports, with an account per file of what was mapped, kept in `extra`, or could not be read.

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "ingest/importer.hpp"

namespace sitegen::ingest {

struct ImportOptions {
  std::string format;             // "" = recognise each file from its content
  std::vector<std::string> sets;  // "system.gpu.model=RTX A5000": applied last, to every report
  std::string meta_file;          // a JSON object of the same paths, applied before `sets`
  bool combine_sweeps = true;     // files of one sweep become one report with several points
};

// What happened to one input file.
struct FileOutcome {
  std::string file;    // as given (directory + relative path for files found in a directory)
  std::string format;  // importer name, "" when none matched
  std::string error;   // non-empty when the file failed (no report from it is kept)
  std::size_t reports = 0;
  Account account;
  std::vector<std::string> unknown;  // canonical fields nothing provided ("system.gpu.model")
};

struct ImportResult {
  std::vector<model::Report> reports;  // validated, sweeps combined, sorted by run id
  std::vector<FileOutcome> files;      // in input order
  bool ok() const;                     // no file failed
};

// Imports every file under paths (directories recursively; meta.json files beside results are
// metadata, not inputs). Bad files are outcomes with an error; the good ones are still imported.
// Throws Error only for bad options (an unknown --format, a malformed --set, an unreadable --meta).
ImportResult import_paths(const std::vector<std::filesystem::path>& paths, const ImportOptions& options);

// Imports one file already read (used by import_paths and tests). Throws Error naming the file.
Conversion import_text(const std::string& text, const std::string& file, const std::filesystem::path& path,
                       const std::string& format);

// A model id that is a path on disk becomes the model's name (kept as system.extra.model_path).
void model_id_from_path(model::System& system);

// Applies "PATH=VALUE" to a report's JSON form: PATH is dotted ("system.gpu.count"); VALUE is
// read as JSON when it is a number, true, false or null, else as a string. Throws Error for a
// malformed assignment or a path through a non-object.
void apply_set(Json& report_json, const std::string& assignment);

// Applies a metadata object: each key is a dotted path (nested objects are merged).
void apply_meta(Json& report_json, const Json& meta, const std::string& file);

// Joins reports of one sweep (same source format, system, workload and extras; distinct load
// levels) into one report with its points sorted by load. Others are left as they are.
std::vector<model::Report> combine_sweeps(std::vector<model::Report> reports);

// Per file: format, reports, mapped / kept in extra / could not read, warnings, errors.
void print_outcomes(const ImportResult& result, std::ostream& out);

// "name  description" for every format.
void print_formats(std::ostream& out);

}  // namespace sitegen::ingest
