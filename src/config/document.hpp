// A machine document: the JSON view of YAML text plus, for every JSON
// pointer, where its key and its value were written.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/diagnostics.hpp"
#include "model/machine.hpp"

namespace vmc::config {

struct Document {
    nlohmann::json root = nlohmann::json::object();
    std::map<std::string, model::SourceMark> value_marks; // pointer -> value position
    std::map<std::string, model::SourceMark> key_marks;   // pointer -> key position (map entries)
    // Map pointer -> its keys in the order written (the JSON view sorts
    // them; devices are placed and listed in file order).
    std::map<std::string, std::vector<std::string>> key_order;

    // The keys of the map at `pointer`, in file order.
    std::vector<std::string> keys_in_order(const std::string& pointer) const;

    // Where the value at `pointer` was written; the closest marked parent
    // when the value itself has none.
    model::SourceMark mark_of(std::string pointer) const;
    model::SourceMark key_mark_of(const std::string& pointer) const;
    // Drops every mark at or below `pointer`.
    void erase_marks(const std::string& pointer);
};

// JSON pointer helpers ("/devices/serial0/at").
std::string pointer_child(const std::string& parent, std::string_view key);
std::string pointer_child(const std::string& parent, std::size_t index);
// "devices.serial0.at" for "/devices/serial0/at"; array indices as "[3]".
std::string dotted_path(const std::string& pointer);
bool pointer_within(const std::string& pointer, const std::string& ancestor);

} // namespace vmc::config
