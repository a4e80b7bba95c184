// gpio-poweroff: runtime device.
#include <stdexcept>

#include "devices/kinds.hpp"
#include "vmm/device.hpp"

namespace vmc::devices::gpio_poweroff {

std::unique_ptr<vmm::Device> create(const model::Device&, vmm::Vm&) {
    throw std::logic_error("gpio-poweroff: runtime device not written yet");
}

} // namespace vmc::devices::gpio_poweroff
