// fsl-mpic-msi: the runtime block, mapped inside the MPIC's register window
// (which keeps the rest of it).
#include "devices/mpic_msi/kind.hpp"
#include "devices/mpic_msi/mpic_msi_config.hpp"
#include "devices/mpic_msi/msi.hpp"
#include "vmm/vm.hpp"

namespace vmc::devices::mpic_msi {

std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm) {
    const Config& config = config_of<Config>(device);
    std::vector<vmm::IrqLine> lines;
    for (uint32_t source : config.sources)
        lines.emplace_back(&vm.irq, source);
    auto msi = std::make_unique<Msi>(device.name, std::move(lines));
    vm.bus.add_inside(device.address, Msi::kBlockSize, msi.get(), device.name);
    return msi;
}

} // namespace vmc::devices::mpic_msi
