#include "vmm/build.hpp"

#include <fmt/format.h>
#include <stdexcept>

#include "devices/registry.hpp"
#include "vmm/spin_table.hpp"

namespace vmc::vmm {

BuildPhase phase_of(const model::Device& device, const model::Machine& machine) {
    if (device.name == machine.interrupt_controller) return BuildPhase::InterruptController;
    if (device.type == "mpc8xxx-gpio") return BuildPhase::GpioControllers;
    return BuildPhase::Devices;
}

std::unique_ptr<Vm> build(const model::Machine& machine, const VmOptions& options) {
    auto vm = std::make_unique<Vm>(machine, options);
    for (BuildPhase phase :
         {BuildPhase::InterruptController, BuildPhase::GpioControllers, BuildPhase::Devices}) {
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
