#include <catch2/catch.hpp>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "config/schema_patterns.hpp"

using nlohmann::json;
using namespace vmc::config;

namespace {

bool valid(json schema, const json& value) {
    rename_pattern_keywords(schema);
    valijson::Schema compiled;
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    parser.addConstraintBuilder(kPosixPatternKeyword, new PatternConstraintBuilder);
    valijson::adapters::NlohmannJsonAdapter schema_adapter(schema);
    parser.populateSchema(schema_adapter, compiled);
    valijson::Validator validator(valijson::Validator::kStrongTypes);
    valijson::adapters::NlohmannJsonAdapter target(value);
    return validator.validate(compiled, target, nullptr);
}

} // namespace

TEST_CASE("pattern keywords are renamed; properties named pattern are not") {
    json schema = {{"type", "object"},
                   {"properties",
                    {{"pattern", {{"type", "string"}, {"pattern", "^a+$"}}},
                     {"list", {{"items", {{"pattern", "^b$"}}}}}}}};
    rename_pattern_keywords(schema);
    CHECK(schema["properties"].contains("pattern"));
    CHECK(schema["properties"]["pattern"][kPosixPatternKeyword] == "^a+$");
    CHECK_FALSE(schema["properties"]["pattern"].contains("pattern"));
    CHECK(schema["properties"]["list"]["items"][kPosixPatternKeyword] == "^b$");
}

TEST_CASE("the schema's patterns match as JSON Schema's would") {
    json mac = {{"pattern", "^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$"}};
    CHECK(valid(mac, "52:54:00:12:34:56"));
    CHECK_FALSE(valid(mac, "52:54:00:12:34"));
    CHECK_FALSE(valid(mac, "52:54:00:12:34:5g"));

    json console = {{"pattern", "^(stdio|null|file:.+|unix:.+)$"}};
    CHECK(valid(console, "file:/tmp/log"));
    CHECK(valid(console, "null"));
    CHECK_FALSE(valid(console, "file:"));
    CHECK_FALSE(valid(console, "tty"));
    // ECMA-262's `.` stops at a line break, so neither may match across one.
    CHECK_FALSE(valid(console, "file:a\nb"));
    CHECK_FALSE(valid(console, "stdio\n"));

    // Unanchored, as JSON Schema's pattern is: a match anywhere will do.
    CHECK(valid({{"pattern", "[0-9]"}}, "abc1"));
}

TEST_CASE("pattern leaves values that are not strings alone") {
    CHECK(valid({{"pattern", "^x$"}}, 42));
    CHECK_FALSE(valid({{"type", "string"}, {"pattern", "^x$"}}, 42));
}

TEST_CASE("a pattern that is not an ERE is refused when the schema is parsed") {
    CHECK_THROWS_AS(valid({{"pattern", "(unclosed"}}, "x"), std::invalid_argument);
}
