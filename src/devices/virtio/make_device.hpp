// The runtime device of a virtio kind: its device model behind the transport
// its bus calls for (virtio-mmio on a simple bus, virtio-pci on a PCI bus).
#pragma once

#include <memory>

#include "devices/virtio/virtio_device.hpp"
#include "vmm/device.hpp"

namespace vmc::model {
struct Device;
}
namespace vmc::vmm {
class Vm;
}

namespace vmc::devices::virtio {
struct MmioConfig;
std::unique_ptr<vmm::Device> make_device(const model::Device& model_device, vmm::Vm& vm,
                                         const MmioConfig& config,
                                         std::unique_ptr<VirtioDevice> device);
} // namespace vmc::devices::virtio
