// mpc8xxx-gpio: runtime device.
#include <stdexcept>

#include "devices/kinds.hpp"
#include "vmm/device.hpp"

namespace vmc::devices::gpio {

std::unique_ptr<vmm::Device> create(const model::Device&, vmm::Vm&) {
    throw std::logic_error("mpc8xxx-gpio: runtime device not written yet");
}

} // namespace vmc::devices::gpio
