// The monitor's commands against the emulator's debug target: help,
// registers, TLB, memory map, interrupt lines, errors for bad arguments, and
// stop / cont / quit on a running machine.
#include <catch2/catch.hpp>

#include <unistd.h>

#include "debug/memory_map.hpp"
#include "debug/monitor.hpp"
#include "emu/harness.hpp"

using namespace vmc;
using debug::Monitor;
using debug::RegisterId;
using emu::test::TestVm;

TEST_CASE("monitor: help lists every command; an unknown one says where to look") {
    TestVm t;
    Monitor monitor(*t.vm, t.engine->debug_target(), false);
    std::string help = monitor.execute("help");
    for (const char* command :
         {"info registers", "info tlb", "info mtree", "info irq", "stop", "cont", "quit"})
        CHECK(help.find(command) != std::string::npos);
    CHECK(monitor.execute("frobnicate 3") ==
          "unknown command 'frobnicate' (help lists the commands)\n");
    CHECK(monitor.execute("info cpus").find("expected registers, tlb, mtree or irq") !=
          std::string::npos);
    CHECK(monitor.execute("   ").empty());
}

TEST_CASE("monitor: info registers shows the vCPU's registers; a bad CPU is refused") {
    TestVm t;
    debug::Target* target = t.engine->debug_target();
    REQUIRE(target);
    REQUIRE(target->write_register(0, {RegisterId::Kind::Gpr, 3}, 0x1234abcd));
    REQUIRE(target->write_register(0, {RegisterId::Kind::Pc, 0}, 0x10000));
    Monitor monitor(*t.vm, target, false);
    std::string regs = monitor.execute("info registers");
    CHECK(regs.starts_with("cpu 0\n"));
    CHECK(regs.find("r3 1234abcd") != std::string::npos);
    CHECK(regs.find("pc 00010000") != std::string::npos);
    CHECK(regs.find("f0 ") == std::string::npos); // no floating-point registers
    CHECK(monitor.execute("info registers 1") == "no CPU 1 (this machine has 1)\n");
    CHECK(monitor.execute("info registers one") == "'one' is not a CPU number\n");
}

TEST_CASE("monitor: info tlb shows the valid entries decoded") {
    TestVm t;
    Monitor monitor(*t.vm, t.engine->debug_target(), false);
    std::string tlb = monitor.execute("info tlb 0");
    // The harness's TLB1[0]: EA 0 -> PA 0, 64 MiB, every permission, IPROT.
    CHECK(tlb.find("TLB1[  0]  ea 0x00000000  pa 0x000000000    64M  tid 0     ts 0  -----  "
                   "SR UR SW UW SX UX  iprot\n") != std::string::npos);
    CHECK(tlb.find("TLB1[  1]") == std::string::npos); // invalid entries are left out
}

TEST_CASE("monitor: info mtree is the memory map; info irq the lines devices drive") {
    TestVm t;
    t.machine.devices.push_back({"uart",
                                 "ns16550",
                                 "",
                                 0xfe0004500,
                                 0x100,
                                 model::Irq{42, model::IrqSense::LevelHigh},
                                 {},
                                 nullptr,
                                 "/devices/uart"});
    Monitor monitor(*t.vm, nullptr, false); // no debug interface: the rest still works
    CHECK(monitor.execute("info mtree") == debug::memory_map_text(t.machine));
    t.vm->irq.set(42, true);
    t.vm->irq.set(42, false);
    t.vm->irq.set(42, true);
    std::string irq = monitor.execute("info irq");
    CHECK(irq.find("    42  level-high    high        2  uart\n") != std::string::npos);
    CHECK(irq.find("cpu 0: external interrupt input clear") != std::string::npos);
    CHECK(monitor.execute("info registers") == "this engine has no debug interface\n");
    CHECK(monitor.execute("stop") == "stop: this engine has no debug interface\n");
}

TEST_CASE("monitor: stop halts a running machine, commands work while stopped, cont and quit") {
    if (!emu::test::have_assembler()) {
        WARN("powerpc-linux-gnu-as missing: skipped");
        return;
    }
    TestVm t;
    t.load("li r3, 0\n1: addi r3, r3, 1\nb 1b");
    Monitor monitor(*t.vm, t.engine->debug_target(), false);
    CHECK(monitor.execute("cont") == "the machine is running\n");
    CHECK(monitor.execute("stop").empty());
    CHECK(monitor.execute("stop") == "already stopped\n");

    // A script on the event loop, as the terminal or the socket would send it.
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    bool halted_while_stopped = false;
    std::string regs_while_stopped;
    t.vm->events.add_reader(fds[0], [&] {
        if (!monitor.halted()) return; // the engine polls before it halts: try again
        char c;
        (void)::read(fds[0], &c, 1);
        halted_while_stopped = monitor.halted();
        regs_while_stopped = monitor.execute("info registers");
        CHECK(monitor.execute("cont").empty());
        CHECK(monitor.execute("quit").empty());
        t.vm->events.remove(fds[0]);
    });
    REQUIRE(::write(fds[1], "g", 1) == 1);
    t.engine->run(); // halts at once, serves the pipe while stopped, then quits

    CHECK(halted_while_stopped);
    CHECK(regs_while_stopped.find("r3 ") != std::string::npos);
    CHECK(t.vm->control.reason() == vmm::ExitReason::UserQuit);
    CHECK(t.vm->control.message() == "quit from the monitor");
    CHECK_FALSE(monitor.halted());
    ::close(fds[0]);
    ::close(fds[1]);
}

TEST_CASE("monitor: with gdb attached, stop and cont are gdb's") {
    TestVm t;
    Monitor monitor(*t.vm, t.engine->debug_target(), true);
    CHECK(monitor.execute("stop") == "stop: gdb controls this run (--gdb); stop it from gdb\n");
    CHECK(monitor.execute("info registers").starts_with("cpu 0\n"));
}
