// fsl-pci: the runtime host bridge, its register block on the MMIO bus (by
// the graph builder) and its memory and I/O windows (mapped here).
#include <fmt/format.h>
#include <stdexcept>

#include "devices/fsl_pci/fsl_pci_config.hpp"
#include "devices/fsl_pci/kind.hpp"
#include "vmm/vm.hpp"

namespace vmc::devices::fsl_pci {

std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm) {
    const Config& config = config_of<Config>(device);
    auto bridge =
        std::make_unique<pci::FslPciBridge>(device.name, config.layout, vm.bus, vm.ram, vm.irq);
    const auto& l = config.layout;
    if (l.memory.size)
        vm.bus.add(l.memory.cpu, l.memory.size, &bridge->memory_window(),
                   device.name + " memory window");
    if (l.io.size)
        vm.bus.add(l.io.cpu, l.io.size, &bridge->io_window(), device.name + " I/O window");
    return bridge;
}

} // namespace vmc::devices::fsl_pci
