#include "config/schema_files.hpp"

#include <filesystem>

#include "config/schema_patterns.hpp"
#include "config/units.hpp"
#include "config/yaml_loader.hpp"

namespace vmc::config {

using nlohmann::json;

namespace {

// The defaults under an object schema's `properties`, as
// {field: {"default": value}} for a field that has one and
// {field: {"fields": {...}}} for an object field whose own fields do.
json defaults_of(const json& properties) {
    json out = json::object();
    for (const auto& [field, spec] : properties.items()) {
        if (!spec.is_object()) continue;
        if (spec.contains("default")) {
            out[field] = {{"default", spec["default"]}};
        } else if (auto inner = spec.find("properties");
                   inner != spec.end() && inner->is_object()) {
            json nested = defaults_of(*inner);
            if (!nested.empty()) out[field] = {{"fields", std::move(nested)}};
        }
    }
    return out;
}

// Replaces every `$ref` to a fragment file by the fragment itself, so that
// valijson sees one self-contained document (its remote-document hook is a
// plain function pointer that could not know where the schemas live).
bool inline_fragments(json& node, const std::string& schema_dir, MachineSchema& out,
                      Diagnostics& diagnostics) {
    if (node.is_array()) {
        for (json& item : node)
            if (!inline_fragments(item, schema_dir, out, diagnostics)) return false;
        return true;
    }
    if (!node.is_object()) return true;
    if (auto ref = node.find("$ref");
        ref != node.end() && ref->is_string() && !ref->get<std::string>().starts_with("#")) {
        std::string file = ref->get<std::string>();
        auto fragment = load_yaml_file(schema_dir + "/" + file, diagnostics);
        if (!fragment) return false;
        json inlined = std::move(fragment->root);
        inlined.erase("$schema");
        inlined.erase("$id");
        std::string kind = std::filesystem::path(file).filename().string();
        kind = kind.substr(0, kind.find('.'));
        if (auto props = inlined.find("properties"); props != inlined.end() && props->is_object()) {
            json defaults = defaults_of(*props);
            // `size` is common to every kind; its default is the register window.
            if (defaults.contains("size")) {
                if (auto size = size_value(defaults["size"]["default"]))
                    out.default_sizes[kind] = *size;
                defaults.erase("size");
            }
            out.default_fields[kind] = std::move(defaults);
        }
        node = std::move(inlined);
        return true;
    }
    for (auto& [key, child] : node.items())
        if (!inline_fragments(child, schema_dir, out, diagnostics)) return false;
    return true;
}

} // namespace

std::optional<MachineSchema> load_schema_files(const std::string& schema_dir,
                                               Diagnostics& diagnostics) {
    auto doc = load_yaml_file(schema_dir + "/machine.schema.yaml", diagnostics);
    if (!doc) return std::nullopt;
    MachineSchema schema;
    schema.root = std::move(doc->root);
    if (!inline_fragments(schema.root, schema_dir, schema, diagnostics)) return std::nullopt;
    rename_pattern_keywords(schema.root);
    return schema;
}

json schema_to_bundle(const MachineSchema& schema) {
    return json{{"schema", schema.root},
                {"default-sizes", schema.default_sizes},
                {"default-fields", schema.default_fields}};
}

MachineSchema schema_from_bundle(const json& bundle) {
    return MachineSchema{bundle.at("schema"),
                         bundle.at("default-sizes").get<std::map<std::string, uint64_t>>(),
                         bundle.at("default-fields").get<std::map<std::string, json>>()};
}

} // namespace vmc::config
