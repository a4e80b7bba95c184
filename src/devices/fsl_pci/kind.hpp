// The faces of this folder's device kind, registered in kind.cpp.
#pragma once

#include <memory>

#include "devices/registry.hpp"

namespace vmc::devices::fsl_pci {
void emit_fdt(const model::Machine& machine, const model::Device& device, fdt::EmitContext& out);
std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm);
const DeviceKind& device_kind();
} // namespace vmc::devices::fsl_pci
