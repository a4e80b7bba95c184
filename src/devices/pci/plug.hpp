// Puts a PCI function on the bus its model device names (`bus:`), in its
// slot: the runtime side of `bus: <host bridge>` in a machine file.
#pragma once

#include "devices/pci/function.hpp"
#include "model/machine.hpp"

namespace vmc::vmm {
class Vm;
}

namespace vmc::devices::pci {

// Whether `device` sits on a PCI host bridge rather than a simple bus.
bool on_pci_bus(const model::Device& device, const model::Machine& machine);
// Throws std::runtime_error when the bus is not a host bridge in this VM or
// the slot is taken.
void plug(const model::Device& device, vmm::Vm& vm, Function& function);

} // namespace vmc::devices::pci
