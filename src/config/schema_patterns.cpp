#include "config/schema_patterns.hpp"

#include <regex.h>

#include <memory>
#include <new>
#include <stdexcept>
#include <string>

#include <valijson/constraints/concrete_constraints.hpp>
#include <valijson/internal/adapter.hpp>
#include <valijson/validation_results.hpp>

namespace vmc::config {

using nlohmann::json;

namespace {

struct CompiledPattern {
    regex_t regex{};
    explicit CompiledPattern(const std::string& pattern) {
        if (regcomp(&regex, pattern.c_str(), REG_EXTENDED | REG_NOSUB) != 0)
            throw std::invalid_argument(
                "schema pattern is not a POSIX extended regular expression: " + pattern);
    }
    ~CompiledPattern() { regfree(&regex); }
    CompiledPattern(const CompiledPattern&) = delete;
    CompiledPattern& operator=(const CompiledPattern&) = delete;
};

class PatternConstraint : public valijson::constraints::PolyConstraint {
public:
    explicit PatternConstraint(std::string pattern)
        : pattern_(std::move(pattern)), compiled_(std::make_shared<CompiledPattern>(pattern_)) {}

    bool validate(const valijson::adapters::Adapter& target,
                  const std::vector<std::string>& context,
                  valijson::ValidationResults* results) const override {
        if (!target.isString()) return true; // `pattern` says nothing about other types
        std::string text = target.asString();
        bool matches = text.find_first_of("\n\r") == std::string::npos &&
                       regexec(&compiled_->regex, text.c_str(), 0, nullptr, 0) == 0;
        if (!matches && results)
            results->pushError(context, "Failed to match regex specified by 'pattern' constraint.");
        return matches;
    }

private:
    valijson::constraints::Constraint* cloneInto(void* memory) const override {
        return new (memory) PatternConstraint(*this);
    }
    size_t sizeOf() const override { return sizeof(PatternConstraint); }

    std::string pattern_;
    std::shared_ptr<const CompiledPattern> compiled_; // shared by the clones valijson makes
};

} // namespace

void rename_pattern_keywords(json& schema) {
    if (schema.is_array()) {
        for (json& item : schema)
            rename_pattern_keywords(item);
        return;
    }
    if (!schema.is_object()) return;
    for (auto& [key, child] : schema.items())
        rename_pattern_keywords(child);
    if (auto it = schema.find("pattern"); it != schema.end() && it->is_string()) {
        json pattern = std::move(*it);
        schema.erase(it);
        schema[kPosixPatternKeyword] = std::move(pattern);
    }
}

valijson::constraints::Constraint*
PatternConstraintBuilder::make(const valijson::adapters::Adapter& value) const {
    if (!value.isString())
        throw std::invalid_argument(std::string(kPosixPatternKeyword) + " must be a string");
    return new PatternConstraint(value.asString());
}

} // namespace vmc::config
