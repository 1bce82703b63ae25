#pragma once
// What the site publishes for other tools to read: an Atom feed of runs, a shields.io endpoint
// badge per configuration and the points as github-action-benchmark custom JSON. Pure functions
// from the site model to file contents; every output is deterministic (a rebuild of the same
// inputs is byte-identical).

#include <string>
#include <string_view>

#include "site/site_model.hpp"

namespace sitegen::site {

// The most entries feed.xml holds (the newest runs).
inline constexpr std::size_t k_feed_entries = 50;

// Text for XML character data and attribute values: & < > " ' escaped; control characters that
// XML 1.0 forbids (everything below 0x20 but tab, LF and CR) are dropped.
std::string xml_text(std::string_view text);

// True for a checked base URL (checked_base_url) that is an absolute http(s) URL.
bool absolute_base(const std::string& base_url);

// A run's time as RFC 3339 UTC ("2026-01-02T03:04:05Z"): started_at when it reads as a UTC ISO 8601
// time (fraction dropped; "Z", "+00:00" or no zone), else the run id's "YYYYMMDD-HHMMSS" prefix;
// "" when neither does.
std::string rfc3339_utc(const std::string& started_at, const std::string& run_id);

// feed.xml: one entry per run, newest first (by time, then configuration and run id), at most
// k_feed_entries. base_url is checked_base_url's result: links are base_url + page path ("" keeps
// them relative to the feed), ids are those absolute URLs when base_url is http(s), else tag: URIs.
// A run with no known time is dated 1970-01-01T00:00:00Z.
std::string atom_feed(const SiteModel& model, const std::string& base_url);

// data/badges/<config id>.json: where a configuration's badge lives in the site.
std::string badge_path(const store::Configuration& config);

// A shields.io endpoint document for a configuration: label "peak output", message the latest
// run's peak output tokens/s ("1,234 tok/s"), color blue; "unavailable" and lightgrey when the
// configuration has no latest run or it measured no output throughput.
std::string badge_json(const store::Configuration& config);

// github-action-benchmark "customBiggerIsBetter" (bigger = true: output and total tokens/s,
// requests/s) or "customSmallerIsBetter" (TTFT, TPOT and ITL median and p99 in ms, owned
// USD/1M tokens where the catalog prices the hardware) JSON: an array of {name, unit, value,
// extra} over every point of every configuration's latest run. Names are
// "<config id> <metric> @ <load>", unique (a load label shared by two points of one run gets
// " (point N)"). Absent or non-finite figures are left out, never written as 0.
std::string benchmark_json(const SiteModel& model, bool bigger);

}  // namespace sitegen::site
