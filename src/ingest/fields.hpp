#pragma once
// Helpers shared by the importers: reading a producer object while keeping the account (every
// field ends up mapped, kept in `extra`, or reported unreadable), building Stats from vLLM-style
// keys, and run ids from producers' timestamps.

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "ingest/importer.hpp"

namespace sitegen::ingest {

// Adds entry to list unless it is already there (accounts list each field once per file).
void note(std::vector<std::string>& list, const std::string& entry);

// One producer object being read. Keys read through it are recorded as mapped; values of the
// wrong type are recorded as unreadable (with the reason) and read as absent; rest() returns what
// was not read, for `extra`.
class Fields {
 public:
  // label prefixes field names in the account ("" at top level, "per_turn_metrics[]/" nested).
  Fields(const Json& object, std::string label, Account& account);

  bool has(std::string_view key) const;  // present and not null
  const Json* raw(std::string_view key);  // the value (null when absent or null), marked mapped
  // A number, or a string holding one (llmperf stores some numbers as strings), times scale.
  // Infinite values are returned as is; the caller decides what they mean.
  std::optional<double> number(std::string_view key, double scale = 1);
  std::optional<long long> integer(std::string_view key);
  std::string text(std::string_view key);
  std::optional<bool> boolean(std::string_view key);
  void take(std::string_view key);  // mark as mapped without reading
  void unreadable(std::string_view key, const std::string& why);
  // Keys "<stat>_<metric><suffix>" with stat in mean|median|std|min|max|pNN[.N] (vLLM, SGLang,
  // InferenceX), values times scale, into one Stat.
  model::Stat stat(std::string_view metric, std::string_view suffix, double scale = 1);
  // Every key not read yet (finite copies, bounded as finite_copy says), recorded as kept in
  // extra; a value kept only in part is also a warning naming it.
  Json rest();
  const Json& json() const { return m_object; }

 private:
  const Json& m_object;
  std::string m_label;
  Account& m_account;
  std::set<std::string, std::less<>> m_used;
};

// The string at object[key]; "" when object is not an object, or the key is absent or holds no
// string. For values read outside a Fields account (detection, names), where nlohmann's
// value(key, "") would throw on a wrong type.
std::string string_or_empty(const Json& object, std::string_view key);

// "YYYYMMDD-HHMMSS" in UTC from "20260529-032503", "2026-09-04T20:33:17Z",
// "2026-04-10T16:31:41+02:00" (offsets are applied: 20260410-143141), "2026-01-19 11:22:13",
// "2026-05-30T12:30:38.214751" or "2026-07-02"; "" when text is none of these or not a valid
// date. Fractions of a second are dropped. A time without a zone is taken as UTC: producers
// that write one (vLLM's `date`, SGLang's timestamps) do not say which zone they ran in, and run
// ids imported before zones were read were made the same way, so none of them changes.
std::string run_id_from_text(std::string_view text);
// "YYYYMMDD-HHMMSS" (UTC) from unix seconds.
std::string run_id_from_unix(double seconds);
// UTC ISO 8601 ("2026-08-06T10:03:14Z") from unix seconds.
std::string iso_from_unix(double seconds);
// ISO 8601 UTC ("2026-04-10T14:31:41Z") from a producer's text when it states its zone ("Z" or
// an offset, converted), else "" (a time in an unknown zone is not a UTC time).
std::string iso_if_utc(std::string_view text);
// 12 hex digits identifying bytes (FNV-1a 64), for run ids of files without a timestamp.
std::string short_hash(std::string_view bytes);

// A report with provenance filled from the source: tool, source_file, source_format and a run id
// from the content hash (importers replace it with the producer's timestamp when there is one).
model::Report new_report(const Source& source, const std::string& format, const std::string& tool);

// A count (tokens, requests) from a producer's number: nullopt unless it is finite, whole, >= 0
// and exact as a double, so no infinity or negative ever becomes an integer in a report.
std::optional<long long> checked_count(double value);

// The percent of a "pNN" / "p99.9" key, or nullopt.
std::optional<double> percent_of(std::string_view key);

// Precision words found in a model name ("awq" -> int4/awq, "fp8", "nvfp4", "bf16", ...), so a
// report says what the producer's own names say; empty when the name says nothing.
void precision_from_name(std::string_view name, model::ModelInfo& model);

}  // namespace sitegen::ingest
