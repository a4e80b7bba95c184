// Sizes and addresses as machine files write them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace vmc::config {

// "256M", "1G", "4K", "2T" (binary multiples) or a plain number.
std::optional<uint64_t> parse_size_text(std::string_view text);
// An integer, or a string parse_size_text accepts.
std::optional<uint64_t> size_value(const nlohmann::json& value);
// A non-negative integer.
std::optional<uint64_t> unsigned_value(const nlohmann::json& value);

// "256M" for 256 MiB; hex for sizes that are not a whole multiple.
std::string format_size(uint64_t size);

} // namespace vmc::config
