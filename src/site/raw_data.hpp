#pragma once
// The raw data published beside the pages: points.csv and the merged dataset JSON.

#include <string>
#include <string_view>

#include "site/views.hpp"

namespace sitegen::site {

// One CSV field per RFC 4180: quoted when it holds a comma, quote, CR or LF (quotes doubled).
// Text (not numbers) starting with =, +, - or @ gets a leading ' so a spreadsheet never runs it
// as a formula.
std::string csv_text(std::string_view text);

// Every point of every run: configuration id, run id, attempt, model, precision, GPU, GPU count,
// engine, benchmark, status, then every canonical metric (point_metrics() keys). CRLF line ends.
std::string points_csv(const SiteModel& model);

// benchmark-results.json: store::dataset_json with each configuration's economics.
std::string dataset_document(const SiteModel& model);

}  // namespace sitegen::site
