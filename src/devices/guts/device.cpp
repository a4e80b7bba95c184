// fsl-guts: runtime device.
#include <stdexcept>

#include "devices/kinds.hpp"
#include "vmm/device.hpp"

namespace vmc::devices::guts {

std::unique_ptr<vmm::Device> create(const model::Device&, vmm::Vm&) {
    throw std::logic_error("fsl-guts: runtime device not written yet");
}

} // namespace vmc::devices::guts
