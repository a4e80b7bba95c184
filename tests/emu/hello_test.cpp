// End to end: the bare-metal hello guest runs on the engine and prints what it
// prints under QEMU (baremetal/qemu-hello.log). The UART and GPIO here are
// minimal test stubs at the board's addresses.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

#include "engine/emu/emu_machine.hpp"
#include "harness.hpp"
#include "support/baremetal_board.hpp"

using namespace vmc;
using namespace vmc::emu;
using vmc::test::GpioStub;
using vmc::test::load_elf;
using vmc::test::UartStub;

TEST_CASE("bare-metal hello prints what it prints under QEMU", "[emu][e2e]") {
    auto reference = vmc::test::read_hello_reference();
    if (!reference) {
        WARN("reference guest not present; skipped");
        return;
    }
    const std::string& elf = reference->elf;
    const std::string& expected = reference->console;

    model::Machine machine = emu::test::small_machine();
    machine.memory.size = 256ull << 20;
    vmm::VmOptions options;
    options.clock = vmm::Clock::Mode::Instructions;
    vmm::Vm vm(machine, options);
    UartStub uart;
    GpioStub gpio(&vm.control);
    vm.bus.add(0xfe0004500, 0x100, &uart, "serial0");
    vm.bus.add(0xfe00ff000, 0x1000, &gpio, "gpio");

    vmm::CpuBootState boot;
    boot.running = true;
    boot.pc = load_elf(vm.ram, elf);
    boot.gpr[1] = 0x00fffff8;
    boot.gpr[3] = 0x01800000;
    boot.gpr[6] = vmm::kEpaprMagic;
    boot.gpr[7] = 0x04000000;
    boot.tlb1.push_back({0, vmm::TlbEntry{0, 0x80000800, 0, 0x3f}});
    vm.boot.cpus.push_back(boot);
    vm.ram.write_be(0x01800000, 0xd00dfeed, 4); // the FDT header fields hello prints
    vm.ram.write_be(0x01800004, 0x00100000, 4);

    EmuOptions emu_options;
    emu_options.instruction_limit = 50'000'000;
    // VMC_EMU_TRACE=FILE writes the execution trace, for scripts/trace-diff against QEMU.
    if (const char* trace = std::getenv("VMC_EMU_TRACE")) emu_options.trace_exec_path = trace;
    EmuMachine engine(vm, emu_options);
    engine.reset();
    engine.run();

    CHECK(vm.control.reason() == vmm::ExitReason::PowerOff);
    CHECK(uart.out == expected);
    CHECK(engine.instructions() > 1000);
}
