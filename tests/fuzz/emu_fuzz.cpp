// The emulator: random instruction words in guest RAM, a random initial
// TLB1 (the MMU setup), MSR and entry point, executed for a bounded number
// of instructions through the engine's public interface. The guest may
// fault, loop in its own exception handlers or checkstop; the VMM may not
// crash, and every run ends.
//
// Input: u8 TLB1 entry count, entries (u8 index, u32 mas1, u32 mas2,
// u64 mas7_3), u32 MSR, u32 entry point, then code copied to address 0.
#include <cstdint>
#include <memory>

#include "config/device_config.hpp"
#include "engine/emu/emu_engine.hpp"
#include "fuzz_input.hpp"
#include "vmm/build.hpp"

namespace {

using namespace vmc;

constexpr uint64_t kRamSize = 1 << 20;
constexpr uint64_t kInstructionLimit = 20000;
// Guest time after which the run stops even with every vCPU in `wait`
// (instructions then no longer advance the clock).
constexpr uint64_t kGuestTimeLimitNs = 4 * kInstructionLimit;

model::Machine machine() {
    model::Machine m;
    m.name = "fuzz";
    m.memory = {0, kRamSize};
    m.cpu.pvr = 0x80230020;
    m.cpu.svr = 0x80390030;
    m.interrupt_controller = "mpic";
    model::Device mpic;
    mpic.name = "mpic";
    mpic.type = "fsl-mpic";
    mpic.address = 0xf'e004'0000ull;
    mpic.size = 0x40000;
    mpic.props = nlohmann::json::object();
    m.devices.push_back(mpic);
    model::Device uart;
    uart.name = "serial0";
    uart.type = "ns16550";
    uart.address = 0xf'e000'4500ull;
    uart.size = 0x100;
    uart.irq = model::Irq{42, model::IrqSense::LevelHigh};
    uart.props = {{"console", "null"}};
    m.devices.push_back(uart);
    return config::configured(std::move(m));
}

vmm::CpuBootState boot_state(fuzz::Input& in) {
    vmm::CpuBootState cpu;
    cpu.running = true;
    unsigned entries = in.u8() % 5;
    for (unsigned n = 0; n < entries; ++n) {
        vmm::CpuBootState::Tlb1Entry e;
        e.index = in.u8() % 16;
        e.entry.mas1 = in.u32();
        e.entry.mas2 = in.u32();
        e.entry.mas7_3 = in.u64();
        cpu.tlb1.push_back(e);
    }
    cpu.msr = in.u32();
    cpu.pc = in.u32();
    for (auto& r : cpu.gpr)
        r = 0;
    cpu.gpr[1] = 0x8000;
    return cpu;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::Input in(data, size);
    model::Machine m = machine();
    vmm::VmOptions options;
    options.clock = vmm::Clock::Mode::Instructions;
    options.console_override = "null";
    auto vm = vmm::build(m, options);
    vm->boot.cpus = {boot_state(in)};
    (void)vm->ram.write(0, in.bytes(kRamSize));

    emu::EmuOptions emu_options;
    emu_options.instruction_limit = kInstructionLimit;
    auto engine = emu::create_engine(*vm, emu_options);
    engine->reset();
    vm->timers.schedule(kGuestTimeLimitNs, [&vm] {
        vm->control.request_stop(vmm::ExitReason::Timeout, "guest time limit");
    });
    // A guest reset request ends the run loop too; one more round, then stop.
    for (int round = 0; round < 2 && !vm->control.stop_requested(); ++round) {
        engine->run();
        if (vm->control.take_reset_request()) engine->reset();
    }
    return 0;
}
