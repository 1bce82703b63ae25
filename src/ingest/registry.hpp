#pragma once
// Every format sitegen can import, and recognising a file's producer from its content.

#include <string>
#include <string_view>
#include <vector>

#include "ingest/importer.hpp"

namespace sitegen::ingest {

// All importers, in the order detection tries them.
const std::vector<std::unique_ptr<Importer>>& importers();

// The importer called name; throws Error listing the names when there is none.
const Importer& importer_named(const std::string& name);

// The text format whose detect_text() accepts the file's text, or nullptr (then it is read as JSON).
const Importer* detect_text_format(std::string_view text);

// The importer whose detect() accepts the value. Throws Error "file: no known format matches:"
// followed by one line per format tried with why it did not match.
const Importer& detect_format(const Json& first_value, const std::string& file);

}  // namespace sitegen::ingest
