#include "devices/virtio/make_device.hpp"

#include "devices/pci/plug.hpp"
#include "devices/virtio/mmio_transport.hpp"
#include "devices/virtio/pci_transport.hpp"
#include "devices/virtio/virtio_config.hpp"
#include "vmm/vm.hpp"

namespace vmc::devices::virtio {

std::unique_ptr<vmm::Device> make_device(const model::Device& model_device, vmm::Vm& vm,
                                         const MmioConfig& config,
                                         std::unique_ptr<VirtioDevice> device) {
    if (pci::on_pci_bus(model_device, vm.machine)) {
        auto transport = std::make_unique<PciTransport>(model_device.name, std::move(device),
                                                        vm.ram, config.queue_size_max);
        pci::plug(model_device, vm, *transport);
        return transport;
    }
    return std::make_unique<MmioTransport>(model_device.name, std::move(device), vm.ram,
                                           vm.irq_line(model_device), config.queue_size_max);
}

} // namespace vmc::devices::virtio
