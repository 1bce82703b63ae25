#pragma once
// Checking a JSON document against report.json v1 (the schema shipped in site/schema/).

#include <string>
#include <vector>

#include "model/report.hpp"
#include "util/error.hpp"

namespace sitegen::model {

// The JSON Schema (draft 2020-12) of report.json v1, as embedded in the binary.
const Json& report_schema();

// Every problem in the document, each with its JSON pointer. Fields the schema does not know are
// warnings (a newer writer must not break an older reader); everything else is an error.
std::vector<Problem> validate_report(const Json& document, const std::string& file);

// Checks `document` against any schema in the subset of JSON Schema sitegen interprets: type,
// enum, const, required, properties, patternProperties, additionalProperties (false gives
// warnings), items, minItems, minimum, exclusiveMinimum, maximum, minLength, pattern, $ref into
// $defs, anyOf, oneOf.
std::vector<Problem> validate_against(const Json& schema, const Json& document, const std::string& file);

// True when the document says it is a sitegen report (its "schema" field names one).
bool claims_to_be_report(const Json& document);

}  // namespace sitegen::model
