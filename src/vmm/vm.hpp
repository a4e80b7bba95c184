// The VMM object graph built from a model::Machine: guest memory, the MMIO
// bus, interrupt wiring, devices, boot state and the services they share.
// Engines run guests against exactly this.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/machine.hpp"
#include "vmm/boot_state.hpp"
#include "vmm/clock.hpp"
#include "vmm/console.hpp"
#include "vmm/device.hpp"
#include "vmm/event_loop.hpp"
#include "vmm/guest_ram.hpp"
#include "vmm/irq.hpp"
#include "vmm/mmio.hpp"
#include "vmm/vm_control.hpp"

namespace vmc::vmm {

// Implemented by the engine: start a vCPU that was held (spin-table release).
class CpuStarter {
public:
    virtual ~CpuStarter() = default;
    virtual void start_cpu(unsigned cpu, const CpuBootState& state) = 0;
};

struct VmOptions {
    Clock::Mode clock = Clock::Mode::RealTime;
    // Replaces every `stdio` console backend (tests run headless with file: or null).
    std::string console_override;
    // Host memory to use as guest RAM instead of a fresh mapping (memory.size
    // bytes, owned by the caller). Null: the Vm maps its own.
    uint8_t* ram_backing = nullptr;
    // The engine brings its own interrupt controller (KVM's in-kernel MPIC):
    // the machine's is created but not connected to the interrupt lines.
    bool in_kernel_interrupt_controller = false;
};

class Vm {
public:
    Vm(const model::Machine& machine, const VmOptions& options);
    ~Vm();
    Vm(const Vm&) = delete;
    Vm& operator=(const Vm&) = delete;

    const model::Machine& machine;
    VmOptions options;
    VmControl control;
    Clock clock;
    TimerQueue timers;
    EventLoop events;
    GuestRam ram;
    MmioBus bus;
    IrqRouter irq;
    std::vector<std::unique_ptr<CpuInterruptInputs>> cpu_inputs; // one per vCPU
    InterruptAcknowledge* interrupt_ack = nullptr; // the interrupt controller (vmm::build)
    CpuStarter* cpu_starter = nullptr;             // set by the engine
    // The vCPU whose access is on the MMIO bus right now (per-CPU register
    // banks such as the MPIC's); set by the engine before each bus access.
    unsigned current_cpu = 0;
    std::vector<std::unique_ptr<Device>> devices; // in creation order (vmm::build phases)
    BootState boot;
    std::vector<uint8_t> dtb;

    // The monitor the terminal console's Ctrl-A c opens (set by the caller
    // before the run; null: none).
    MonitorPort* monitor = nullptr;

    Device* find_device(std::string_view name);
    // A console backend for `spec`, with VmOptions::console_override applied to `stdio`.
    std::unique_ptr<Console> open_console(const ConsoleSpec& spec);
    std::unique_ptr<Console> open_console(std::string_view spec);
    IrqLine irq_line(const model::Device& device); // unconnected when the device has no irq
};

} // namespace vmc::vmm
