// virtio-net: not available yet. Asking for one is an error that says so,
// rather than a network device that silently drops every frame.
#include <stdexcept>

#include "devices/kinds.hpp"
#include "vmm/device.hpp"

namespace vmc::devices::virtio_net {

std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm&) {
    throw std::runtime_error("virtio-net (" + device.name + "): the tap backend is not implemented in this "
                             "version; remove the device or use a virtio-console for host communication");
}

} // namespace vmc::devices::virtio_net
