// gpio-poweroff: a GPIO output line that powers the machine off.
#pragma once

#include <cstdint>
#include <string>

#include "devices/props.hpp"

namespace vmc::devices::gpio_poweroff {

struct Config {
    std::string controller; // name of the mpc8xxx-gpio device
    uint32_t pin;           // GPIO number on that controller (0 = MSB of the registers)
    bool active_low;
};

inline Config parse(const model::Device& d) {
    return Config{prop(d, "controller", std::string("gpio0")), prop(d, "pin", uint32_t{0}),
                  prop(d, "active-low", false)};
}

} // namespace vmc::devices::gpio_poweroff
