// gpio-poweroff: a GPIO output line that powers the machine off.
#pragma once

#include <cstdint>
#include <string>

#include "devices/config.hpp"

namespace vmc::devices::gpio_poweroff {

struct Config {
    std::string controller; // name of a GPIO controller (Role::GpioController)
    uint32_t pin = 0;       // line on that controller (0 = MSB of the registers)
    bool active_low = false;
};

inline Config parse(const model::Device& d) {
    Config c;
    c.controller = field<std::string>(d, "controller");
    c.pin = field<uint32_t>(d, "pin");
    c.active_low = field<bool>(d, "active-low");
    return c;
}

} // namespace vmc::devices::gpio_poweroff
