// virtio-console: runtime device.
#include <stdexcept>

#include "devices/kinds.hpp"
#include "vmm/device.hpp"

namespace vmc::devices::virtio_console {

std::unique_ptr<vmm::Device> create(const model::Device&, vmm::Vm&) {
    throw std::logic_error("virtio-console: runtime device not written yet");
}

} // namespace vmc::devices::virtio_console
