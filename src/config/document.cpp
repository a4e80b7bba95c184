#include "config/document.hpp"

#include <algorithm>
#include <cctype>

namespace vmc::config {

model::SourceMark Document::mark_of(std::string pointer) const {
    for (;;) {
        if (auto it = value_marks.find(pointer); it != value_marks.end()) return it->second;
        if (pointer.empty()) return {};
        std::size_t slash = pointer.rfind('/');
        pointer.erase(slash == std::string::npos ? 0 : slash);
    }
}

model::SourceMark Document::key_mark_of(const std::string& pointer) const {
    if (auto it = key_marks.find(pointer); it != key_marks.end()) return it->second;
    return mark_of(pointer);
}

namespace {
void erase_below(std::map<std::string, model::SourceMark>& marks, const std::string& pointer) {
    for (auto it = marks.lower_bound(pointer);
         it != marks.end() && it->first.starts_with(pointer);) {
        if (pointer_within(it->first, pointer))
            it = marks.erase(it);
        else
            ++it;
    }
}
} // namespace

void Document::erase_marks(const std::string& pointer) {
    erase_below(value_marks, pointer);
    erase_below(key_marks, pointer);
    for (auto it = key_order.lower_bound(pointer);
         it != key_order.end() && it->first.starts_with(pointer);) {
        if (pointer_within(it->first, pointer))
            it = key_order.erase(it);
        else
            ++it;
    }
}

std::vector<std::string> Document::keys_in_order(const std::string& pointer) const {
    nlohmann::json::json_pointer json_pointer(pointer);
    if (!root.contains(json_pointer) || !root.at(json_pointer).is_object()) return {};
    const nlohmann::json& map = root.at(json_pointer);
    std::vector<std::string> out;
    if (auto it = key_order.find(pointer); it != key_order.end())
        for (const std::string& key : it->second)
            if (map.contains(key)) out.push_back(key);
    // Keys without a recorded order (none in practice) follow, sorted.
    for (const auto& [key, value] : map.items())
        if (std::find(out.begin(), out.end(), key) == out.end()) out.push_back(key);
    return out;
}

std::string pointer_child(const std::string& parent, std::string_view key) {
    std::string out = parent + '/';
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

std::string pointer_child(const std::string& parent, std::size_t index) {
    return parent + '/' + std::to_string(index);
}

bool pointer_within(const std::string& pointer, const std::string& ancestor) {
    if (!pointer.starts_with(ancestor)) return false;
    return pointer.size() == ancestor.size() || pointer[ancestor.size()] == '/';
}

std::string dotted_path(const std::string& pointer) {
    std::string out;
    std::size_t pos = 0;
    while (pos < pointer.size()) {
        std::size_t next = pointer.find('/', pos + 1);
        std::string token =
            pointer.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1);
        std::string key;
        for (std::size_t i = 0; i < token.size(); ++i) {
            if (token[i] == '~' && i + 1 < token.size()) {
                key += token[i + 1] == '1' ? '/' : '~';
                ++i;
            } else {
                key += token[i];
            }
        }
        bool index = !key.empty() && std::all_of(key.begin(), key.end(), [](unsigned char c) {
            return std::isdigit(c) != 0;
        });
        // Array indices only appear inside arrays, and machine files have no
        // map whose keys are all digits, so digits mean an index here.
        if (index && !out.empty())
            out += '[' + key + ']';
        else
            out += (out.empty() ? "" : ".") + key;
        if (next == std::string::npos) break;
        pos = next;
    }
    return out;
}

} // namespace vmc::config
