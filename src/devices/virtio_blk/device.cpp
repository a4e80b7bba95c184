// virtio-blk: runtime device.
#include <stdexcept>

#include "devices/kinds.hpp"
#include "vmm/device.hpp"

namespace vmc::devices::virtio_blk {

std::unique_ptr<vmm::Device> create(const model::Device&, vmm::Vm&) {
    throw std::logic_error("virtio-blk: runtime device not written yet");
}

} // namespace vmc::devices::virtio_blk
