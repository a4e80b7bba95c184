// gpio-poweroff: device-tree node.
#include <stdexcept>

#include "devices/kinds.hpp"

namespace vmc::devices::gpio_poweroff {

void emit_fdt(const model::Machine&, const model::Device&, fdt::EmitContext&) {
    throw std::logic_error("gpio-poweroff: device-tree node not written yet");
}

} // namespace vmc::devices::gpio_poweroff
