#include "vmm/vm.hpp"

#include <algorithm>

namespace vmc::vmm {

Vm::Vm(const model::Machine& m, const VmOptions& opts)
    : machine(m), options(opts), clock(opts.clock),
      ram(m.memory.base, m.memory.size, opts.ram_backing) {
    for (uint32_t i = 0; i < m.cpus; ++i)
        cpu_inputs.push_back(std::make_unique<CpuInterruptInputs>());
}

Vm::~Vm() = default;

Device* Vm::find_device(std::string_view name) {
    auto it = std::find_if(devices.begin(), devices.end(), [&](const std::unique_ptr<Device>& d) {
        return d && d->name() == name;
    });
    return it == devices.end() ? nullptr : it->get();
}

std::unique_ptr<Console> Vm::open_console(const ConsoleSpec& spec) {
    ConsoleSpec chosen = spec;
    if (chosen.backend == "stdio" && !options.console_override.empty())
        chosen.backend = options.console_override;
    return vmm::open_console(chosen, ConsoleContext{events, control, &monitor});
}

std::unique_ptr<Console> Vm::open_console(std::string_view spec) {
    return open_console(ConsoleSpec{std::string(spec), {}, false});
}

IrqLine Vm::irq_line(const model::Device& device) {
    if (!device.irq) return {};
    return IrqLine(&irq, device.irq->source);
}

} // namespace vmc::vmm
