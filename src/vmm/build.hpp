// vmm::build: the object graph of a machine, in an explicit phase order.
#pragma once

#include <memory>

#include "devices/registry.hpp"
#include "model/machine.hpp"
#include "vmm/vm.hpp"

namespace vmc::vmm {

// Phases, in order (devices::BuildPhase); each kind names its own. The
// spin table, when the machine has secondary CPUs, comes last.
using BuildPhase = devices::BuildPhase;

// Throws std::runtime_error naming the device when one cannot be created
// (a missing image file, an overlapping range, ...).
std::unique_ptr<Vm> build(const model::Machine& machine, const VmOptions& options);

// Which phase creates a device of this type (exposed for tests).
BuildPhase phase_of(const model::Device& device, const model::Machine& machine);

} // namespace vmc::vmm
