#include "vmm/build.hpp"

#include <fmt/format.h>
#include <stdexcept>

#include "vmm/spin_table.hpp"

namespace vmc::vmm {

namespace {

// Every interrupt line and the CPUs' acknowledge cycle reach the machine's
// interrupt controller.
void connect_interrupt_controller(Vm& vm, Device& controller) {
    auto* sink = dynamic_cast<IrqSink*>(&controller);
    if (!sink)
        throw std::runtime_error(fmt::format(
            "{}: the interrupt controller takes no interrupt lines", controller.name()));
    vm.irq.connect(sink);
    vm.interrupt_ack = dynamic_cast<InterruptAcknowledge*>(&controller);
}

} // namespace

BuildPhase phase_of(const model::Device& device, const model::Machine&) {
    const devices::DeviceKind* kind = devices::find_device_kind(device.type);
    return kind ? kind->phase : BuildPhase::Devices;
}

std::unique_ptr<Vm> build(const model::Machine& machine, const VmOptions& options) {
    auto vm = std::make_unique<Vm>(machine, options);
    for (BuildPhase phase : {BuildPhase::InterruptController, BuildPhase::GpioControllers,
                             BuildPhase::PciBuses, BuildPhase::Devices}) {
        for (size_t i = 0; i < machine.devices.size(); ++i) {
            const model::Device& d = machine.devices[i];
            if (phase_of(d, machine) != phase) continue;
            const devices::DeviceKind* kind = devices::find_device_kind(d.type);
            if (!kind)
                throw std::runtime_error(
                    fmt::format("{}: unknown device type '{}'", d.name, d.type));
            try {
                // Visible to later phases by name (gpio-poweroff finds its controller).
                vm->devices.push_back(kind->create(d, *vm));
            } catch (const std::exception& e) {
                throw std::runtime_error(fmt::format("{} ({}): {}", d.name, d.type, e.what()));
            }
            if (d.size > 0) vm->bus.add(d.address, d.size, vm->devices.back().get(), d.name);
            if (d.name == machine.interrupt_controller && !options.in_kernel_interrupt_controller)
                connect_interrupt_controller(*vm, *vm->devices.back());
        }
    }
    if (machine.spin_table.address && machine.cpus > 0) {
        auto table = std::make_unique<SpinTable>(machine, *vm);
        vm->bus.add(machine.spin_table.address, table->size(), table.get(), "spin-table");
        vm->devices.push_back(std::move(table));
    }
    return vm;
}

} // namespace vmc::vmm
