// virtio-net: runtime device.
#include <stdexcept>

#include "devices/kinds.hpp"
#include "vmm/device.hpp"

namespace vmc::devices::virtio_net {

std::unique_ptr<vmm::Device> create(const model::Device&, vmm::Vm&) {
    throw std::logic_error("virtio-net: runtime device not written yet");
}

} // namespace vmc::devices::virtio_net
