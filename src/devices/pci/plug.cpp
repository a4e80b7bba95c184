#include "devices/pci/plug.hpp"

#include <fmt/format.h>
#include <stdexcept>

#include "devices/pci/fsl_pci_bridge.hpp"
#include "vmm/vm.hpp"

namespace vmc::devices::pci {

bool on_pci_bus(const model::Device& device, const model::Machine& machine) {
    return device.slot.has_value() && !device.bus.empty() && !machine.find_bus(device.bus);
}

void plug(const model::Device& device, vmm::Vm& vm, Function& function) {
    auto* bridge = dynamic_cast<FslPciBridge*>(vm.find_device(device.bus));
    if (!bridge || !device.slot)
        throw std::runtime_error(
            fmt::format("'{}' is not a PCI host bridge of this machine", device.bus));
    try {
        bridge->plug(*device.slot, function);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(e.what());
    }
}

} // namespace vmc::devices::pci
