#include "config/merge.hpp"

#include <algorithm>

#include "config/yaml_loader.hpp"

namespace vmc::config {

namespace {

void copy_marks(Document& base, const Document& overlay, const std::string& pointer) {
    base.erase_marks(pointer);
    for (const auto* source : {&overlay.value_marks, &overlay.key_marks}) {
        auto& target = source == &overlay.value_marks ? base.value_marks : base.key_marks;
        for (auto it = source->lower_bound(pointer); it != source->end(); ++it) {
            if (!it->first.starts_with(pointer)) break;
            if (pointer_within(it->first, pointer)) target[it->first] = it->second;
        }
    }
    for (auto it = overlay.key_order.lower_bound(pointer); it != overlay.key_order.end(); ++it) {
        if (!it->first.starts_with(pointer)) break;
        if (pointer_within(it->first, pointer)) base.key_order[it->first] = it->second;
    }
}

void note_key(Document& base, const std::string& pointer, const std::string& key) {
    auto& order = base.key_order[pointer];
    if (std::find(order.begin(), order.end(), key) == order.end()) order.push_back(key);
}

bool is_device_entry(const std::string& pointer) {
    return pointer.starts_with("/devices/") && pointer.find('/', 9) == std::string::npos;
}

bool changes_type(const nlohmann::json& base, const nlohmann::json& overlay) {
    auto b = base.find("type");
    auto o = overlay.find("type");
    return b != base.end() && o != overlay.end() && *b != *o;
}

void merge_object(Document& base, nlohmann::json& target, const Document& overlay,
                  const nlohmann::json& source, const std::string& pointer) {
    for (const auto& [key, value] : source.items()) {
        std::string child = pointer_child(pointer, key);
        if (value.is_null()) {
            target.erase(key);
            base.erase_marks(child);
            continue;
        }
        auto existing = target.find(key);
        bool merge_deeper = existing != target.end() && existing->is_object() &&
                            value.is_object() &&
                            !(is_device_entry(child) && changes_type(*existing, value));
        if (merge_deeper) {
            merge_object(base, *existing, overlay, value, child);
            // The entry keeps the position where it was first declared.
            if (auto k = overlay.key_marks.find(child);
                k != overlay.key_marks.end() && !base.key_marks.contains(child))
                base.key_marks[child] = k->second;
            continue;
        }
        target[key] = value;
        note_key(base, pointer, key);
        copy_marks(base, overlay, child);
    }
}

} // namespace

void merge_document(Document& base, const Document& overlay) {
    if (!overlay.root.is_object() || !base.root.is_object()) {
        base.root = overlay.root;
        copy_marks(base, overlay, "");
        return;
    }
    merge_object(base, base.root, overlay, overlay.root, "");
    if (auto v = overlay.value_marks.find("");
        v != overlay.value_marks.end() && !base.value_marks.contains(""))
        base.value_marks[""] = v->second;
}

std::optional<Document> parse_set_flag(const std::string& flag, Diagnostics& diagnostics) {
    std::string source = "--set " + flag;
    std::size_t eq = flag.find('=');
    std::string path = flag.substr(0, eq);
    if (eq == std::string::npos || path.empty()) {
        diagnostics.error({source, 0, 0}, "", "expected PATH=VALUE",
                          "for example --set memory=512M");
        return std::nullopt;
    }
    std::vector<std::string> keys;
    for (std::size_t start = 0;;) {
        std::size_t dot = path.find('.', start);
        keys.push_back(
            path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    std::string pointer;
    for (const std::string& key : keys) {
        if (key.empty()) {
            diagnostics.error({source, 0, 0}, "", "empty name in path '" + path + "'",
                              "write the path as dotted names, e.g. devices.disk0.image");
            return std::nullopt;
        }
        pointer = pointer_child(pointer, key);
    }
    auto value = load_yaml_text(flag.substr(eq + 1), source, diagnostics, pointer);
    if (!value) return std::nullopt;

    Document doc;
    nlohmann::json nested = std::move(value->root);
    for (auto it = keys.rbegin(); it != keys.rend(); ++it)
        nested = nlohmann::json::object({{*it, std::move(nested)}});
    doc.root = std::move(nested);
    // A flag has no line: every value it sets is marked with the flag itself.
    model::SourceMark mark{source, 0, 0};
    std::string prefix;
    for (const std::string& key : keys) {
        prefix = pointer_child(prefix, key);
        doc.value_marks[prefix] = mark;
        doc.key_marks[prefix] = mark;
    }
    for (const auto& [p, m] : value->value_marks)
        doc.value_marks[p] = mark;
    doc.key_order = std::move(value->key_order);
    std::string parent;
    for (const std::string& key : keys) {
        doc.key_order[parent].push_back(key);
        parent = pointer_child(parent, key);
    }
    return doc;
}

} // namespace vmc::config
