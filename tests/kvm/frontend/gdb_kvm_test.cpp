// The GDB stub driven packet by packet, as gdb would, against the KVM engine
// and the stand-in kernel: KVM_SET_GUEST_DEBUG software and hardware
// breakpoints, a watchpoint, single step, registers and memory on the
// bare-metal hello, then continue to power-off with the console intact.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "debug/gdb_stub.hpp"
#include "debug/registers.hpp"
#include "engine/kvm/kvm_engine.hpp"
#include "gdb_client.hpp"
#include "kvm/baremetal.hpp"
#include "kvm/stand_in_kvm.hpp"

using namespace vmc;
using namespace vmc::kvm::test;

namespace {

// The pc (gdb register 64) and r3, as the stub sends them: big-endian hex.

// hello.elf: puts at 0x33c (r3 = the string), putc at 0x324, the UART's
// transmit register at EA 0xe0004500 (hello maps CCSR there).
// gdb's number for a register of the target description.
unsigned regnum(std::string_view name) {
    const auto all = debug::registers();
    for (size_t n = 0; n < all.size(); ++n)
        if (all[n].name == name) return static_cast<unsigned>(n);
    FAIL("no register " << name);
    return 0;
}

constexpr uint32_t kPuts = 0x33c, kPutc = 0x324, kUartThr = 0xe0004500;
constexpr uint32_t kMsgHello = 0x3cc, kMsgPc = 0x433;

} // namespace

TEST_CASE("gdb on the KVM engine: breakpoints, watchpoint, step, registers, run to power-off",
          "[kvm][debug][e2e]") {
    auto reference = vmc::test::read_hello_reference();
    if (!reference) {
        WARN("reference guest not present; skipped");
        return;
    }
    const std::string& elf = reference->elf;
    const std::string& expected = reference->console;

    model::Machine machine = machine_with_mpic();
    vmm::Vm vm(machine, {});
    StandInKvm kernel;
    HelloBoard board(vm, elf);
    auto engine = kvm::create_engine(vm, kernel);

    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    debug::GdbStub stub(*engine->debug_target(), nullptr, [&vm] {
        vm.control.request_stop(vmm::ExitReason::UserQuit, "killed from the debugger");
    });
    stub.connect(fds[0]); // attaches and asks for a halt before the first instruction
    Client gdb(fds[1]);
    std::thread vm_thread([&] {
        engine->reset();
        engine->run();
        stub.exited(vmm::exit_status(vm.control.reason()));
    });

    gdb.ask("qSupported:swbreak+;hwbreak+");
    CHECK(gdb.ask("?") == "T05thread:1;");
    CHECK(reg(gdb, kPc) == "00000000"); // halted at the entry point
    CHECK(gdb.ask("m33c,4") == "7fa802a6");

    // Software breakpoint: the kernel's debug instruction in guest RAM,
    // hidden from memory reads; every call of puts stops there.
    CHECK(gdb.ask(fmt::format("Z0,{:x},4", kPuts)) == "OK");
    CHECK(vm.ram.read_be(kPuts, 4) == 0x00dddd00u);
    CHECK(gdb.ask("m33c,4") == "7fa802a6");
    CHECK(gdb.ask("c") == "T05thread:1;swbreak:;");
    CHECK(reg(gdb, kPc) == fmt::format("{:08x}", kPuts));
    CHECK(reg(gdb, 3) == fmt::format("{:08x}", kMsgHello));
    // Step: the guest's own instruction at the breakpoint runs, once.
    CHECK(gdb.ask("s") == "T05thread:1;");
    CHECK(reg(gdb, kPc) == fmt::format("{:08x}", kPuts + 4));
    CHECK(vm.ram.read_be(kPuts, 4) == 0x00dddd00u); // armed again after the step
    CHECK(gdb.ask("c") == "T05thread:1;swbreak:;");
    CHECK(reg(gdb, 3) == fmt::format("{:08x}", kMsgPc));
    CHECK(board.uart.out == "Hello from e500\n");
    CHECK(gdb.ask(fmt::format("z0,{:x},4", kPuts)) == "OK");
    CHECK(vm.ram.read_be(kPuts, 4) == 0x7fa802a6u);

    // Hardware breakpoint (an IAC): no memory changes.
    CHECK(gdb.ask(fmt::format("Z1,{:x},4", kPutc)) == "OK");
    CHECK(gdb.ask("c") == "T05thread:1;hwbreak:;");
    CHECK(reg(gdb, kPc) == fmt::format("{:08x}", kPutc));
    CHECK(gdb.ask(fmt::format("z1,{:x},4", kPutc)) == "OK");

    // Write watchpoint (a DAC) on the UART's transmit register: stops before the store.
    std::string before = board.uart.out;
    CHECK(gdb.ask(fmt::format("Z2,{:x},1", kUartThr)) == "OK");
    CHECK(gdb.ask("c") == fmt::format("T05thread:1;watch:{:x};", kUartThr));
    CHECK(board.uart.out == before);
    CHECK(gdb.ask("s") == "T05thread:1;"); // the store itself, then one character more
    CHECK(board.uart.out.size() == before.size() + 1);
    CHECK(gdb.ask(fmt::format("z2,{:x},1", kUartThr)) == "OK");

    // Registers and memory written at a stop reach the vCPU and guest RAM
    // (the greeting was printed long ago: the console does not change).
    CHECK(gdb.ask("P1f=12345678") == "OK");
    CHECK(reg(gdb, 31) == "12345678");
    // SPRs outside KVM_SET_REGS: sregs (esr, dear, ivpr) and ONE_REG (tsr).
    for (const char* name : {"esr", "dear", "ivpr", "tsr"}) {
        INFO(name);
        CHECK(gdb.ask(fmt::format("P{:x}=00001230", regnum(name))) == "OK");
        CHECK(reg(gdb, regnum(name)) == "00001230");
    }
    CHECK(gdb.ask(fmt::format("P{:x}=00000000", regnum("tsr"))) == "OK");
    CHECK(gdb.ask(fmt::format("P{:x}=00000001", regnum("pvr"))).substr(0, 1) == "E"); // the host's
    CHECK(gdb.ask(fmt::format("M{:x},1:4a", kMsgHello)) == "OK");
    CHECK(gdb.ask(fmt::format("m{:x},5", kMsgHello)) == "4a656c6c6f"); // "Jello"
    CHECK(vm.ram.read_be(kMsgHello, 1) == 0x4au);
    CHECK(gdb.ask("m10000000,4").substr(0, 1) == "E"); // nothing mapped there

    // Continue with nothing set: the guest runs to power-off and gdb hears
    // that the inferior exited with status 0.
    CHECK(gdb.ask("c") == "W00");
    vm_thread.join();
    CHECK(vm.control.reason() == vmm::ExitReason::PowerOff);
    CHECK(board.uart.out == expected);
    CHECK(kernel.debug_exits >= 6);
}

TEST_CASE("gdb on the KVM engine: detach removes the breakpoints and lets the guest run",
          "[kvm][debug][e2e]") {
    auto reference = vmc::test::read_hello_reference();
    if (!reference) {
        WARN("reference guest not present; skipped");
        return;
    }
    const std::string& elf = reference->elf;
    model::Machine machine = machine_with_mpic();
    vmm::Vm vm(machine, {});
    StandInKvm kernel;
    HelloBoard board(vm, elf);
    auto engine = kvm::create_engine(vm, kernel);
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    debug::GdbStub stub(*engine->debug_target(), nullptr, [] {});
    stub.connect(fds[0]);
    Client gdb(fds[1]);
    std::thread vm_thread([&] {
        engine->reset();
        engine->run();
    });
    CHECK(gdb.ask("?") == "T05thread:1;");
    CHECK(gdb.ask(fmt::format("Z0,{:x},4", kPutc)) == "OK");
    CHECK(gdb.ask(fmt::format("Z1,{:x},4", kPuts)) == "OK");
    CHECK(vm.ram.read_be(kPutc, 4) == 0x00dddd00u);
    CHECK(gdb.ask("D") == "OK");
    vm_thread.join();
    CHECK(vm.ram.read_be(kPutc, 4) != 0x00dddd00u); // the guest's word is back
    CHECK(vm.control.reason() == vmm::ExitReason::PowerOff);
    CHECK(board.uart.out.find("BM: powering off via GPIO pin 0") != std::string::npos);
}
