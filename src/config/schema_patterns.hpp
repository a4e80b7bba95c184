// The schema's `pattern` keyword, checked with POSIX extended regular
// expressions instead of valijson's std::regex: compiling the schema's few
// patterns with std::regex cost 2 M instructions on every run, a sixth of
// `vmcompose dtb`. The schema's patterns use only what ERE and ECMA-262 share
// (anchors, classes, groups, alternation, counted repeats).
#pragma once

#include <nlohmann/json.hpp>
#include <valijson/constraint_builder.hpp>

namespace vmc::config {

// What `pattern` is renamed to in a loaded schema, so that valijson leaves it
// to PatternConstraintBuilder.
inline constexpr const char* kPosixPatternKeyword = "x-posix-pattern";

// Renames every `pattern` keyword of `schema` to kPosixPatternKeyword (only
// string-valued ones: a property named "pattern" maps to a schema object).
void rename_pattern_keywords(nlohmann::json& schema);

// Builds the constraint for kPosixPatternKeyword. A value with a line break
// never matches, as ECMA-262's `.` and `$` would have it for these patterns.
// Throws std::invalid_argument when a pattern is not a valid ERE.
class PatternConstraintBuilder : public valijson::ConstraintBuilder {
public:
    valijson::constraints::Constraint*
    make(const valijson::adapters::Adapter& value) const override;
};

} // namespace vmc::config
