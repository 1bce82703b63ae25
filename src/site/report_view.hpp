#pragma once
// The sections of a page about one report, shared by the configuration and run pages (and the
// index's rows): its system, workload and provenance as key/value lists, its charts against load,
// the table of every point and metric, quality and capacity results, and its notes.

#include <optional>
#include <string>

#include "site/site_model.hpp"
#include "site/templates.hpp"

namespace sitegen::site {

// Appends {"k": k, "v": v} to list when v is not empty.
void add_if(View& list, const std::string& k, const std::string& v);
// A number as text for a page, "" when unknown.
std::string opt_text(const std::optional<long long>& v);
std::string opt_text(const std::optional<double>& v);
// "2 × H100 SXM" ("unknown GPU" when the report does not say).
std::string gpu_text(const model::System& s);
// The configuration's name for people: "Qwen/Qwen3-Coder-30B fp8 · 1 × H200 · vllm · serving".
std::string config_title(const store::Configuration& c);
// The run a configuration is shown by: its latest successful run, else its newest.
const store::Run* shown_run(const store::Configuration& c);

View points_table(const model::Report& report);
View system_view(const model::Report& r);
View workload_view(const model::Report& r);
View provenance_view(const model::Report& r);
// The report's charts against load; chart ids start with prefix (unique within a page).
View charts_of(const model::Report& r, const std::string& prefix);
View quality_view(const model::Report& r);
View capacity_view(const model::Report& r);
// Markdown rendered in safe mode, "" for "".
std::string notes_html(const std::string& md);

// Sets system, workload, provenance, command, charts, table, quality, capacity, notes_html and
// provenance_notes_html on v from the run.
void add_report_sections(View& v, const store::Run& run, const std::string& chart_prefix);

}  // namespace sitegen::site
