// ns16550: runtime device.
#include <stdexcept>

#include "devices/kinds.hpp"
#include "vmm/device.hpp"

namespace vmc::devices::ns16550 {

std::unique_ptr<vmm::Device> create(const model::Device&, vmm::Vm&) {
    throw std::logic_error("ns16550: runtime device not written yet");
}

} // namespace vmc::devices::ns16550
