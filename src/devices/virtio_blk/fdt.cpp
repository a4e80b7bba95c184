// virtio-blk: device-tree node.
#include <stdexcept>

#include "devices/kinds.hpp"

namespace vmc::devices::virtio_blk {

void emit_fdt(const model::Machine&, const model::Device&, fdt::EmitContext&) {
    throw std::logic_error("virtio-blk: device-tree node not written yet");
}

} // namespace vmc::devices::virtio_blk
