#include "config/schema.hpp"

#include <algorithm>
#include <set>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "config/schema_patterns.hpp"
#include "devices/registry.hpp"

namespace vmc::config {

using nlohmann::json;

namespace {

// Optimal string alignment distance: a swapped pair of letters counts once.
std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i)
        d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j)
        d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.size()][b.size()];
}

// Walks the schema alongside the document, the way validation does.
class SchemaWalker {
public:
    explicit SchemaWalker(const json& schema) : schema_(schema) {}

    const json* deref(const json* node) const {
        for (int depth = 0; node && node->is_object() && node->contains("$ref") && depth < 16;
             ++depth) {
            std::string ref = (*node)["$ref"].get<std::string>();
            if (!ref.starts_with("#")) return nullptr;
            json::json_pointer p(ref.substr(1));
            node = schema_.contains(p) ? &schema_.at(p) : nullptr;
        }
        return node;
    }

    // The schemas that say what the keys of the object `instance` may be.
    std::vector<const json*> object_schemas(const json* node, const json& instance) const {
        std::vector<const json*> out;
        node = deref(node);
        if (!node || !node->is_object()) return out;
        out.push_back(node);
        if (auto all = node->find("allOf"); all != node->end() && all->is_array()) {
            for (const json& branch : *all) {
                if (!branch.contains("if") || !branch.contains("then")) continue;
                json::json_pointer type_const("/if/properties/type/const");
                if (branch.contains(type_const) && instance.is_object() &&
                    instance.value("type", json()) == branch.at(type_const))
                    out.push_back(deref(&branch["then"]));
            }
        }
        if (auto any = node->find("anyOf"); any != node->end() && any->is_array())
            for (const json& branch : *any) {
                const json* b = deref(&branch);
                if (b && b->is_object() && b->value("type", "") == "object") out.push_back(b);
            }
        return out;
    }

    const json* child(const json* node, const json& instance, const std::string& token) const {
        for (const json* s : object_schemas(node, instance)) {
            if (!s) continue;
            if (auto props = s->find("properties"); props != s->end() && props->contains(token))
                return &(*props)[token];
        }
        node = deref(node);
        if (!node || !node->is_object()) return nullptr;
        if (auto extra = node->find("additionalProperties");
            extra != node->end() && extra->is_object())
            return &*extra;
        if (auto items = node->find("items"); items != node->end() && items->is_object())
            return &*items;
        return nullptr;
    }

    // Schema and instance at a pointer; nullptr when the schema says nothing.
    std::pair<const json*, const json*> at(const json& doc, const std::string& pointer) const {
        const json* node = &schema_;
        const json* inst = &doc;
        for (const std::string& token : tokens(pointer)) {
            node = child(node, *inst, token);
            if (!node) return {nullptr, nullptr};
            if (inst->is_object() && inst->contains(token))
                inst = &(*inst)[token];
            else if (inst->is_array() && !token.empty() && token.size() < 9 &&
                     std::all_of(token.begin(), token.end(), ::isdigit) &&
                     std::stoul(token) < inst->size())
                inst = &(*inst)[std::stoul(token)];
            else
                inst = &null_;
        }
        return {node, inst};
    }

    std::vector<std::string> known_keys(const json& doc, const std::string& pointer) const {
        auto [node, inst] = at(doc, pointer);
        std::vector<std::string> out;
        if (!node) return out;
        for (const json* s : object_schemas(node, *inst)) {
            if (!s || !s->contains("properties")) continue;
            for (const auto& [key, value] : (*s)["properties"].items())
                if (std::find(out.begin(), out.end(), key) == out.end()) out.push_back(key);
        }
        return out;
    }

    static std::vector<std::string> tokens(const std::string& pointer) {
        std::vector<std::string> out;
        json::json_pointer p(pointer);
        while (!p.empty()) {
            out.insert(out.begin(), p.back());
            p.pop_back();
        }
        return out;
    }

private:
    const json& schema_;
    const json null_;
};

std::string join(const std::vector<std::string>& items, const char* separator = ", ") {
    std::string out;
    for (const std::string& item : items)
        out += (out.empty() ? "" : separator) + item;
    return out;
}

std::string scalar_text(const json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

// One message that says what would be right for the value at a place.
std::string expectation(const SchemaWalker& walker, const json* node) {
    for (int i = 0; i < 2 && node; ++i) {
        if (node->is_object() && node->contains("errorMessage"))
            return (*node)["errorMessage"].get<std::string>();
        node = walker.deref(node);
    }
    if (!node || !node->is_object()) return "value not allowed here";
    if (auto e = node->find("enum"); e != node->end() && e->is_array()) {
        std::vector<std::string> names;
        for (const json& v : *e)
            names.push_back(scalar_text(v));
        return "expected one of: " + join(names);
    }
    if (auto c = node->find("const"); c != node->end()) return "expected " + scalar_text(*c);
    std::string type = node->value("type", "");
    if (type == "integer" || type == "number") {
        bool has_min = node->contains("minimum"), has_max = node->contains("maximum");
        if (has_min && has_max)
            return "expected a number from " + (*node)["minimum"].dump() + " to " +
                   (*node)["maximum"].dump();
        if (has_min) return "expected a number, at least " + (*node)["minimum"].dump();
        return "expected a number";
    }
    if (type == "string") {
        if (node->contains("maxLength"))
            return "expected a string of at most " + (*node)["maxLength"].dump() + " characters";
        return "expected a string";
    }
    if (type == "boolean") return "expected true or false";
    if (type == "object") return "expected a map of keys to values";
    if (type == "array") return "expected a list";
    return "value not allowed here";
}

struct Findings {
    std::map<std::string, std::set<std::string>> unknown_keys; // object pointer -> keys
    std::map<std::string, std::set<std::string>> missing_keys;
    std::set<std::string> bad_values; // value pointers
};

std::string quoted_between(const std::string& text, const std::string& after) {
    std::size_t start = text.find(after);
    if (start == std::string::npos) return {};
    start += after.size();
    std::size_t end = text.find('\'', start);
    return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string context_pointer(const std::vector<std::string>& context) {
    std::string pointer;
    for (const std::string& element : context) {
        if (element == "<root>") continue;
        std::string token = element;
        if (token.size() >= 2 && token.front() == '[' && token.back() == ']')
            token = token.substr(1, token.size() - 2);
        pointer = pointer_child(pointer, token);
    }
    return pointer;
}

// Sorts valijson's errors into three kinds of leaf; the messages it adds for
// every enclosing schema ("failed to validate against child schema ...")
// only repeat a leaf and are dropped.
Findings classify(valijson::ValidationResults& results) {
    Findings f;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        std::string pointer = context_pointer(error.context);
        const std::string& text = error.description;
        if (text.starts_with("Object contains a property that could not be validated")) {
            f.unknown_keys[pointer].insert(quoted_between(text, "constraints: '"));
        } else if (text.starts_with("Missing required property")) {
            f.missing_keys[pointer].insert(quoted_between(text, "property '"));
        } else if (text.starts_with("Failed to validate against schema associated with") ||
                   text.starts_with("Failed to validate item") ||
                   text.starts_with("Failed to validate against child schema") ||
                   text.starts_with("Failed to validate against a conditional schema") ||
                   text.starts_with("Failed to validate against additional properties schema") ||
                   text.starts_with("Cannot validate item")) {
            continue;
        } else {
            f.bad_values.insert(pointer);
        }
    }
    return f;
}

bool has_finding_below(const Findings& f, const std::string& pointer) {
    auto below = [&](const std::string& p) { return p != pointer && pointer_within(p, pointer); };
    for (const auto& [p, keys] : f.unknown_keys)
        if (below(p) || (p == pointer)) return true;
    for (const auto& [p, keys] : f.missing_keys)
        if (below(p) || (p == pointer)) return true;
    return std::any_of(f.bad_values.begin(), f.bad_values.end(), below);
}

std::vector<std::string> kind_names() {
    std::vector<std::string> out;
    for (const auto& kind : devices::device_kinds())
        out.emplace_back(kind->type);
    return out;
}

void report_bad_value(const Document& doc, const SchemaWalker& walker, const std::string& pointer,
                      Diagnostics& diagnostics) {
    auto [node, value] = walker.at(doc.root, pointer);
    bool device_type = pointer.starts_with("/devices/") && pointer.ends_with("/type") &&
                       std::count(pointer.begin(), pointer.end(), '/') == 3;
    if (device_type && value && value->is_string()) {
        std::string type = value->get<std::string>();
        std::string guess = closest_key(type, kind_names());
        diagnostics.error(
            doc.mark_of(pointer), dotted_path(pointer), "unknown device type '" + type + "'",
            guess.empty() ? "known types: " + join(kind_names()) : "did you mean '" + guess + "'?");
        return;
    }
    diagnostics.error(doc.mark_of(pointer), dotted_path(pointer), expectation(walker, node));
}

} // namespace

std::string closest_key(const std::string& key, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_distance = SIZE_MAX;
    for (const std::string& candidate : candidates) {
        std::size_t distance = edit_distance(key, candidate);
        if (distance < best_distance) {
            best = candidate;
            best_distance = distance;
        }
    }
    std::size_t limit = std::max<std::size_t>(1, std::min<std::size_t>(3, key.size() / 3));
    return best_distance <= limit ? best : std::string();
}

void validate_against_schema(const Document& doc, const MachineSchema& schema,
                             Diagnostics& diagnostics) {
    valijson::Schema compiled;
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    parser.addConstraintBuilder(kPosixPatternKeyword,
                                new PatternConstraintBuilder); // parser owns it
    valijson::adapters::NlohmannJsonAdapter schema_adapter(schema.root);
    parser.populateSchema(schema_adapter, compiled);

    valijson::Validator validator(valijson::Validator::kStrongTypes);
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter target(doc.root);
    if (validator.validate(compiled, target, &results)) return;

    Findings findings = classify(results);
    SchemaWalker walker(schema.root);
    std::size_t before = diagnostics.size();
    for (const auto& [object, keys] : findings.unknown_keys) {
        std::vector<std::string> known = walker.known_keys(doc.root, object);
        for (const std::string& key : keys) {
            std::string pointer = pointer_child(object, key);
            std::string guess = closest_key(key, known);
            std::string hint = guess.empty() ? (known.empty() ? "" : "known keys: " + join(known))
                                             : "did you mean '" + guess + "'?";
            diagnostics.error(doc.key_mark_of(pointer), dotted_path(pointer),
                              "unknown key '" + key + "'", hint);
        }
    }
    for (const auto& [object, keys] : findings.missing_keys) {
        for (const std::string& key : keys) {
            diagnostics.error(object.empty() ? doc.mark_of("") : doc.key_mark_of(object),
                              dotted_path(object), "missing required key '" + key + "'");
        }
    }
    for (const std::string& pointer : findings.bad_values)
        if (!has_finding_below(findings, pointer))
            report_bad_value(doc, walker, pointer, diagnostics);
    if (diagnostics.size() == before)
        diagnostics.error(doc.mark_of(""), "", "the file does not match the machine schema");
}

} // namespace vmc::config
