// mpc8xxx-gpio: device-tree node.
#include <stdexcept>

#include "devices/kinds.hpp"

namespace vmc::devices::gpio {

void emit_fdt(const model::Machine&, const model::Device&, fdt::EmitContext&) {
    throw std::logic_error("mpc8xxx-gpio: device-tree node not written yet");
}

} // namespace vmc::devices::gpio
