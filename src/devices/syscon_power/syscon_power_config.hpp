// syscon-power: typed configuration.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "devices/config.hpp"

namespace vmc::devices::syscon_power {

// A write that powers off or reboots: the register at `offset` with the
// bits of `mask` equal to those of `value` (Linux does
// regmap_update_bits(offset, mask, value)).
struct Action {
    uint32_t offset = 0;
    uint32_t value = 0;
    uint32_t mask = 0;
};

struct Config {
    std::vector<std::string> compatible;
    std::optional<Action> poweroff;
    std::optional<Action> reboot;
};

inline std::optional<Action> parse_action(const model::Device& d, const char* key) {
    auto it = d.props.find(key);
    if (it == d.props.end() || it->is_null()) return std::nullopt;
    try {
        return Action{it->at("offset").get<uint32_t>(), it->at("value").get<uint32_t>(),
                      it->at("mask").get<uint32_t>()};
    } catch (const nlohmann::json::exception&) {
        throw std::invalid_argument(fmt::format("`{}:` needs offset, value and mask", key));
    }
}

inline Config parse(const model::Device& d) {
    Config c;
    c.compatible = field<std::vector<std::string>>(d, "compatible");
    c.poweroff = parse_action(d, "poweroff");
    c.reboot = parse_action(d, "reboot");
    return c;
}

} // namespace vmc::devices::syscon_power
