// The KVM engine against the rules of the 6.1 kernel that the stand-in
// follows: GSI routing (a line without a route is dropped), an MMIO load
// completed on the next KVM_RUN before immediate_exit is looked at, ehpriv
// leaving as a debug exit with debugging off, and device accesses the
// kernel does not emulate. Small hand-assembled guests (the words are
// powerpc-linux-gnu-as output) run on a machine with RAM at 0 and the CCSR
// window (UART, MPIC, GPIO power-off) mapped at 0xe0000000.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <span>
#include <thread>

#include "baremetal.hpp"
#include "debug/registers.hpp"
#include "debug/target.hpp"
#include "devices/ns16550/ns16550.hpp"
#include "engine/kvm/kvm_engine.hpp"
#include "stand_in_kvm.hpp"
#include "vmm/vm.hpp"

using namespace vmc;
using kvm::test::StandInKvm;

namespace {

constexpr uint64_t kUartBase = 0xfe0004500; // CCSR + 0x4500, EA 0xe0004500
constexpr uint64_t kSlowBase = 0xfe0004600; // a test register, EA 0xe0004600
constexpr uint64_t kGpioBase = 0xfe00ff000; // power-off, EA 0xe00ff000
constexpr uint32_t kResults = 0x100;        // where the guests store what they saw
constexpr uint32_t kSlowValue = 0xcafef00d; // what the slow register answers at last

// RAM at EA 0 (64 MiB) and the CCSR window's first MiB at EA 0xe0000000
// (cache-inhibited, guarded), entering at `pc`.
vmm::CpuBootState entry_at(uint32_t pc) {
    vmm::CpuBootState boot;
    boot.running = true;
    boot.pc = pc;
    boot.tlb1.push_back({0, vmm::TlbEntry{0, 0x80000800, 0, 0x3f}});
    boot.tlb1.push_back({1, vmm::TlbEntry{0, 0x80000500, 0xe000000a, 0xfe000003full}});
    return boot;
}

void load_words(vmm::Vm& vm, uint32_t at, std::span<const uint32_t> words) {
    for (size_t n = 0; n < words.size(); ++n)
        vm.ram.write_be(at + 4 * n, words[n], 4);
}

uint32_t guest_result(vmm::Vm& vm, unsigned n) {
    return static_cast<uint32_t>(vm.ram.read_be(kResults + 4 * n, 4).value_or(0));
}

// Stops a run that would otherwise not end.
void bound_run(vmm::Vm& vm, double seconds) {
    vm.timers.schedule(vm.clock.now_ns() + static_cast<uint64_t>(seconds * 1e9), [&vm] {
        vm.control.request_stop(vmm::ExitReason::Timeout, "the guest did not finish");
    });
}

// A device register that holds its reader inside the MMIO exit until the
// engine kicks vCPU `cpu` (immediate_exit), then answers kSlowValue; after
// 20 ms without a kick it answers 0 and the guest asks again, so that the
// engine's own thread can take the device lock in between. `on_first_read`
// runs once, inside the first read.
struct SlowRegister : vmm::MmioHandler {
    StandInKvm& kernel;
    unsigned cpu;
    std::function<void()> on_first_read;
    bool first = true;
    SlowRegister(StandInKvm& k, unsigned c, std::function<void()> f = {})
        : kernel(k), cpu(c), on_first_read(std::move(f)) {}
    uint64_t mmio_read(uint64_t, unsigned) override {
        if (std::exchange(first, false) && on_first_read) on_first_read();
        auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(20);
        while (std::chrono::steady_clock::now() < until) {
            if (kernel.immediate_exit_set(cpu)) return kSlowValue;
            std::this_thread::sleep_for(std::chrono::microseconds(100));
        }
        return 0;
    }
    void mmio_write(uint64_t, uint64_t, unsigned) override {}
};

// Program interrupt handler at 0x3000: SRR0, ESR and r30 to the results, power-off.
constexpr uint32_t kProgramHandler[] = {
    0x7c9a02a6, // mfsrr0 r4
    0x7cbe0aa6, // mfspr  r5, ESR
    0x90800100, // stw    r4, 0x100(0)
    0x90a00104, // stw    r5, 0x104(0)
    0x93c00108, // stw    r30, 0x108(0)
    0x3d80e010, // lis    r12, 0xe010
    0x398cf000, // addi   r12, r12, -4096    (GPIO at 0xe00ff000)
    0x3c608000, // lis    r3, 0x8000
    0x906c0000, // stw    r3, 0(r12)         (GPDIR)
    0x906c0008, // stw    r3, 8(r12)         (GPDAT: pin 0 high, power-off)
    0x48000000, // b      .
};

} // namespace

TEST_CASE("UART input reaches the guest through the GSI routes the engine installs", "[kvm][irq]") {
    model::Machine machine = kvm::test::machine_with_mpic();
    vmm::Vm vm(machine, {});
    StandInKvm kernel;
    devices::ns16550::Config config{{"ns16550"}, 1'843'200, 0, 0, "", {"null", "", false}};
    devices::ns16550::Uart uart("serial0", config, vmm::IrqLine(&vm.irq, 42), nullptr, &vm.clock,
                                &vm.timers);
    kvm::test::GpioStub gpio(&vm.control);
    vm.bus.add(kUartBase, 0x100, &uart, "serial0");
    vm.bus.add(kGpioBase, 0x1000, &gpio, "gpio");
    const uint32_t program[] = {
        0x3d20e000, // lis    r9, 0xe000
        0x3d490004, // addis  r10, r9, 4         (MPIC at 0xe0040000)
        0x3c602000, // lis    r3, 0x2000
        0x906a1020, // stw    r3, 0x1020(r10)    (GCR: mixed mode)
        0x3d490005, // addis  r10, r9, 5
        0x3c600005, // lis    r3, 5
        0x6063002a, // ori    r3, r3, 42
        0x906a0540, // stw    r3, 0x540(r10)     (source 42: priority 5, vector 42, unmasked)
        0x38600001, // li     r3, 1
        0x906a0550, // stw    r3, 0x550(r10)     (destination: cpu 0)
        0x3d690006, // addis  r11, r9, 6         (cpu 0's registers)
        0x38600000, // li     r3, 0
        0x906b0080, // stw    r3, 0x80(r11)      (task priority 0)
        0x38600001, // li     r3, 1
        0x98694501, // stb    r3, 0x4501(r9)     (UART IER: received data)
        0x38600000, // li     r3, 0
        0x7c7f0ba6, // mtspr  IVPR, r3
        0x38602000, // li     r3, 0x2000
        0x7c7463a6, // mtspr  IVOR4, r3
        0x7c6000a6, // mfmsr  r3
        0x60638000, // ori    r3, r3, 0x8000
        0x7c600124, // mtmsr  r3                 (MSR[EE])
        0x48000000, // b      .
    };
    const uint32_t handler[] = {
        0x808b00a0, // lwz    r4, 0xa0(r11)      (IACK: the vector)
        0x88a94500, // lbz    r5, 0x4500(r9)     (RBR)
        0x38600000, // li     r3, 0
        0x906b00b0, // stw    r3, 0xb0(r11)      (EOI)
        0x90800100, // stw    r4, 0x100(0)
        0x90a00104, // stw    r5, 0x104(0)
        0x3d80e010, // lis    r12, 0xe010
        0x398cf000, // addi   r12, r12, -4096
        0x3c608000, // lis    r3, 0x8000
        0x906c0000, // stw    r3, 0(r12)
        0x906c0008, // stw    r3, 8(r12)         (power-off)
        0x48000000, // b      .
    };
    load_words(vm, 0x1000, program);
    load_words(vm, 0x2000, handler);
    vm.boot.cpus.push_back(entry_at(0x1000));
    auto engine = kvm::create_engine(vm, kernel);
    // A key press 50 ms in, delivered on the engine's device thread.
    vm.timers.schedule(vm.clock.now_ns() + 50'000'000, [&uart] {
        const uint8_t key = 'K';
        uart.receive({&key, 1});
    });
    bound_run(vm, 5);
    engine->reset();
    engine->run();
    INFO(vm.control.message());
    CHECK(vm.control.reason() == vmm::ExitReason::PowerOff);
    CHECK(guest_result(vm, 0) == 42);  // the vector IACK gave
    CHECK(guest_result(vm, 1) == 'K'); // the byte the interrupt announced
    CHECK(kernel.dropped_irq_lines == 0);
}

TEST_CASE("the stand-in drops KVM_IRQ_LINE on a GSI without a route, as 6.1 does", "[kvm][irq]") {
    model::Machine machine = kvm::test::machine_with_mpic();
    vmm::Vm vm(machine, {});
    StandInKvm kernel;
    int fd = kernel.create_vm();
    void* backing = vm.ram.data();
    kvm::uapi::UserspaceMemoryRegion region{0, 0, 0, vm.ram.size(),
                                            reinterpret_cast<uintptr_t>(backing)};
    kernel.set_user_memory_region(fd, region);
    kvm::uapi::CreateDevice mpic{kvm::uapi::kDevTypeFslMpic20, 0, 0};
    kernel.create_device(fd, mpic);
    kernel.irq_line(fd, {42, 1}); // no route yet: accepted and dropped
    CHECK(kernel.dropped_irq_lines == 1);
    // The kernel's MPIC 2.0 model has 80 sources (FRR bits 16-26 hold the last).
    CHECK(((kernel.mpic_register(0x1000) >> 16) & 0x7ff) == 79);
    struct {
        kvm::uapi::IrqRouting header;
        kvm::uapi::IrqRoutingEntry entries[2];
    } table{};
    table.header.nr = 2;
    table.entries[0] = {42, kvm::uapi::kIrqRoutingIrqchip, 0, 0, {}};
    table.entries[0].u.irqchip.pin = 42;
    table.entries[1] = table.entries[0];
    CHECK_THROWS_WITH(kernel.set_gsi_routing(fd, table.header), Catch::Contains("twice"));
    table.entries[1].u.irqchip.pin = 256;
    table.entries[1].gsi = 43;
    CHECK_THROWS_WITH(kernel.set_gsi_routing(fd, table.header), Catch::Contains("pin 256"));
    table.header.nr = 1;
    kernel.set_gsi_routing(fd, table.header);
    kernel.irq_line(fd, {42, 1});
    CHECK(kernel.dropped_irq_lines == 1);
}

TEST_CASE("a guest's ehpriv 1 without a debugger gets a program interrupt, not a VM stop",
          "[kvm][debug]") {
    model::Machine machine = kvm::test::machine_with_mpic();
    vmm::Vm vm(machine, {});
    StandInKvm kernel;
    kvm::test::GpioStub gpio(&vm.control);
    vm.bus.add(kGpioBase, 0x1000, &gpio, "gpio");
    const uint32_t program[] = {
        0x38600000, // li     r3, 0
        0x7c7f0ba6, // mtspr  IVPR, r3
        0x38603000, // li     r3, 0x3000
        0x7c7663a6, // mtspr  IVOR6, r3
        0x7c000a1c, // ehpriv 1                  (at 0x1010)
        0x48000000, // b      .
    };
    load_words(vm, 0x1000, program);
    load_words(vm, 0x3000, kProgramHandler);
    vm.boot.cpus.push_back(entry_at(0x1000));
    auto engine = kvm::create_engine(vm, kernel);
    bound_run(vm, 5);
    engine->reset();
    engine->run();
    INFO(vm.control.message());
    CHECK(vm.control.reason() == vmm::ExitReason::PowerOff);
    CHECK(kernel.debug_exits == 1);           // the kernel did exit, debugging off
    CHECK(guest_result(vm, 0) == 0x1010);     // SRR0: the ehpriv
    CHECK(guest_result(vm, 1) == 0x08000000); // ESR[PIL]: an illegal instruction
}

TEST_CASE("lmw from device memory is a program interrupt in the guest, not an MMIO exit",
          "[kvm][mmio]") {
    model::Machine machine = kvm::test::machine_with_mpic();
    vmm::Vm vm(machine, {});
    StandInKvm kernel;
    kvm::test::GpioStub gpio(&vm.control);
    SlowRegister slow(kernel, 0);
    vm.bus.add(kSlowBase, 0x100, &slow, "slow");
    vm.bus.add(kGpioBase, 0x1000, &gpio, "gpio");
    const uint32_t program[] = {
        0x38600000, // li     r3, 0
        0x7c7f0ba6, // mtspr  IVPR, r3
        0x38603000, // li     r3, 0x3000
        0x7c7663a6, // mtspr  IVOR6, r3
        0x3d20e000, // lis    r9, 0xe000
        0x3bc00077, // li     r30, 0x77
        0xbbc94600, // lmw    r30, 0x4600(r9)    (at 0x1018)
        0x48000000, // b      .
    };
    load_words(vm, 0x1000, program);
    load_words(vm, 0x3000, kProgramHandler);
    vm.boot.cpus.push_back(entry_at(0x1000));
    auto engine = kvm::create_engine(vm, kernel);
    bound_run(vm, 5);
    engine->reset();
    engine->run();
    INFO(vm.control.message());
    CHECK(vm.control.reason() == vmm::ExitReason::PowerOff);
    CHECK(guest_result(vm, 0) == 0x1018); // SRR0: the lmw
    CHECK(guest_result(vm, 1) == 0);      // ESR 0 (kvmppc_core_queue_program(vcpu, 0))
    CHECK(guest_result(vm, 2) == 0x77);   // r30 untouched
    CHECK(kernel.mmio_program_interrupts == 1);
    CHECK(slow.first); // the device never saw the access
}

TEST_CASE("a reset while a vCPU's MMIO load is pending leaves the next boot's registers alone",
          "[kvm][mmio][smp]") {
    model::Machine machine = kvm::test::machine_with_mpic();
    machine.cpus = machine.max_cpus = 2;
    vmm::Vm vm(machine, {});
    StandInKvm kernel;
    // vCPU 0 reports its entry r3/r6/r7, then loads r3 from the slow
    // register, which holds it until the engine stops the vCPUs for the
    // reset vCPU 1 asks for with its watchdog.
    SlowRegister slow(kernel, 0);
    vm.bus.add(kSlowBase, 0x100, &slow, "slow");
    const uint32_t loader[] = {
        0x90600100, // stw    r3, 0x100(0)
        0x90c00104, // stw    r6, 0x104(0)
        0x90e00108, // stw    r7, 0x108(0)
        0x3d20e000, // lis    r9, 0xe000
        0x80694600, // lwz    r3, 0x4600(r9)
        0x2c030000, // cmpwi  r3, 0
        0x4182fff8, // beq    .-8
        0x48000000, // b      .
    };
    // vCPU 1 arms its watchdog once vCPU 0 has reported (r7 is never 0), so
    // a slow host cannot end a boot before vCPU 0 ran.
    const uint32_t watchdog[] = {
        0x80800108, // lwz    r4, 0x108(0)
        0x2c040000, // cmpwi  r4, 0
        0x4182fff8, // beq    .-8
        0x3c60e014, // lis    r3, 0xe014         (TCR: WP=3, WRC=2, WPEXT=10)
        0x7c7453a6, // mttcr  r3
        0x48000000, // b      .
    };
    load_words(vm, 0x1000, loader);
    load_words(vm, 0x1800, watchdog);
    vmm::CpuBootState boot0 = entry_at(0x1000);
    boot0.gpr[3] = 0x01800000;
    boot0.gpr[6] = vmm::kEpaprMagic;
    boot0.gpr[7] = 0x04000000;
    vmm::CpuBootState boot1 = entry_at(0x1800);
    boot1.pir = 1;
    vm.boot.cpus = {boot0, boot1};
    auto engine = kvm::create_engine(vm, kernel);
    bound_run(vm, 10);

    engine->reset();
    engine->run();
    REQUIRE(vm.control.take_reset_request());
    // The caller restarts the machine; the new boot reports its registers again.
    for (unsigned n = 0; n < 3; ++n)
        vm.ram.write_be(kResults + 4 * n, 0, 4);
    engine->reset();
    engine->run();
    INFO(vm.control.message());
    CHECK(vm.control.take_reset_request());
    CHECK(guest_result(vm, 0) == 0x01800000); // not the old load's kSlowValue
    CHECK(guest_result(vm, 1) == vmm::kEpaprMagic);
    CHECK(guest_result(vm, 2) == 0x04000000);
}

namespace {

// Records what it sees at each stop, then detaches at the second.
struct Recorder : debug::Debugger {
    struct Seen {
        debug::StopEvent event;
        uint64_t pc = 0, r5 = 0;
    };
    std::vector<Seen> stops;
    debug::Resume stopped(debug::Target& target, const debug::StopEvent& event) override {
        Seen seen{event};
        target.read_register(event.cpu, {debug::RegisterId::Kind::Pc, 0}, seen.pc);
        target.read_register(event.cpu, {debug::RegisterId::Kind::Gpr, 5}, seen.r5);
        stops.push_back(seen);
        if (stops.size() == 2) target.detach();
        return {};
    }
};

} // namespace

TEST_CASE("a debugger pause in the middle of an MMIO load shows the loaded register",
          "[kvm][mmio][debug]") {
    model::Machine machine = kvm::test::machine_with_mpic();
    vmm::Vm vm(machine, {});
    StandInKvm kernel;
    kvm::test::GpioStub gpio(&vm.control);
    vm.bus.add(kGpioBase, 0x1000, &gpio, "gpio");
    const uint32_t program[] = {
        0x3d20e000, // lis    r9, 0xe000
        0x80a94600, // lwz    r5, 0x4600(r9)     (at 0x1004)
        0x2c050000, // cmpwi  r5, 0
        0x4182fff8, // beq    .-8
        0x90a00100, // stw    r5, 0x100(0)
        0x3d80e010, // lis    r12, 0xe010
        0x398cf000, // addi   r12, r12, -4096
        0x3c608000, // lis    r3, 0x8000
        0x906c0000, // stw    r3, 0(r12)
        0x906c0008, // stw    r3, 8(r12)         (power-off)
        0x48000000, // b      .
    };
    load_words(vm, 0x1000, program);
    vm.boot.cpus.push_back(entry_at(0x1000));
    auto engine = kvm::create_engine(vm, kernel);
    debug::Target& target = *engine->debug_target();
    // The load's device asks the debugger for a halt (gdb's Ctrl-C) while
    // the load is under way.
    SlowRegister slow(kernel, 0, [&target] { target.request_halt(); });
    vm.bus.add(kSlowBase, 0x100, &slow, "slow");
    Recorder recorder;
    target.attach(recorder);
    bound_run(vm, 10);
    engine->reset();
    engine->run();
    INFO(vm.control.message());
    CHECK(vm.control.reason() == vmm::ExitReason::PowerOff);
    REQUIRE(recorder.stops.size() == 2);
    CHECK(recorder.stops[0].pc == 0x1000); // halted before the first instruction
    const auto& paused = recorder.stops[1];
    CHECK(paused.event.why == debug::StopEvent::Why::Halted);
    CHECK(paused.pc == 0x1008);     // the kernel had moved past the load...
    CHECK(paused.r5 == kSlowValue); // ...and the register holds what it loaded
    CHECK(guest_result(vm, 0) == kSlowValue);
}
