#include "config/units.hpp"

#include <charconv>

#include <fmt/format.h>

namespace vmc::config {

std::optional<uint64_t> parse_size_text(std::string_view text) {
    if (text.empty()) return std::nullopt;
    unsigned shift = 0;
    switch (text.back()) {
    case 'K':
        shift = 10;
        break;
    case 'M':
        shift = 20;
        break;
    case 'G':
        shift = 30;
        break;
    case 'T':
        shift = 40;
        break;
    default:
        break;
    }
    if (shift != 0) text.remove_suffix(1);
    uint64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
    if (shift != 0 && value > (UINT64_MAX >> shift)) return std::nullopt;
    return value << shift;
}

std::optional<uint64_t> unsigned_value(const nlohmann::json& value) {
    if (value.is_number_unsigned()) return value.get<uint64_t>();
    if (value.is_number_integer() && value.get<int64_t>() >= 0)
        return static_cast<uint64_t>(value.get<int64_t>());
    return std::nullopt;
}

std::optional<uint64_t> size_value(const nlohmann::json& value) {
    if (value.is_string()) return parse_size_text(value.get<std::string>());
    return unsigned_value(value);
}

std::string format_size(uint64_t size) {
    static constexpr struct {
        unsigned shift;
        char suffix;
    } kUnits[] = {{40, 'T'}, {30, 'G'}, {20, 'M'}, {10, 'K'}};
    for (const auto& unit : kUnits) {
        uint64_t mask = (uint64_t{1} << unit.shift) - 1;
        if (size != 0 && (size & mask) == 0)
            return fmt::format("{}{}", size >> unit.shift, unit.suffix);
    }
    return fmt::format("{:#x}", size);
}

} // namespace vmc::config
