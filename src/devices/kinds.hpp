// Entry points of each device kind, one pair per folder under src/devices/.
#pragma once

#include <memory>

#include "model/machine.hpp"

namespace vmc::fdt {
class EmitContext;
}
namespace vmc::vmm {
class Device;
class Vm;
} // namespace vmc::vmm

namespace vmc::devices::mpic {
void emit_fdt(const model::Machine& machine, const model::Device& device, fdt::EmitContext& out);
std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm);
} // namespace vmc::devices::mpic
namespace vmc::devices::ns16550 {
void emit_fdt(const model::Machine& machine, const model::Device& device, fdt::EmitContext& out);
std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm);
} // namespace vmc::devices::ns16550
namespace vmc::devices::guts {
void emit_fdt(const model::Machine& machine, const model::Device& device, fdt::EmitContext& out);
std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm);
} // namespace vmc::devices::guts
namespace vmc::devices::gpio {
void emit_fdt(const model::Machine& machine, const model::Device& device, fdt::EmitContext& out);
std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm);
} // namespace vmc::devices::gpio
namespace vmc::devices::gpio_poweroff {
void emit_fdt(const model::Machine& machine, const model::Device& device, fdt::EmitContext& out);
std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm);
} // namespace vmc::devices::gpio_poweroff
namespace vmc::devices::virtio_blk {
void emit_fdt(const model::Machine& machine, const model::Device& device, fdt::EmitContext& out);
std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm);
} // namespace vmc::devices::virtio_blk
namespace vmc::devices::virtio_console {
void emit_fdt(const model::Machine& machine, const model::Device& device, fdt::EmitContext& out);
std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm);
} // namespace vmc::devices::virtio_console
namespace vmc::devices::virtio_rng {
void emit_fdt(const model::Machine& machine, const model::Device& device, fdt::EmitContext& out);
std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm);
} // namespace vmc::devices::virtio_rng
namespace vmc::devices::virtio_net {
void emit_fdt(const model::Machine& machine, const model::Device& device, fdt::EmitContext& out);
std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm);
} // namespace vmc::devices::virtio_net
