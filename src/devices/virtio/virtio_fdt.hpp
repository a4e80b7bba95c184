// The device-tree node every virtio-mmio device kind shares.
#pragma once

#include "model/machine.hpp"

namespace vmc::fdt {
class EmitContext;
}

namespace vmc::devices::virtio {
struct MmioConfig;
void emit_mmio_node(const model::Device& device, const MmioConfig& config, fdt::EmitContext& ctx);
} // namespace vmc::devices::virtio
