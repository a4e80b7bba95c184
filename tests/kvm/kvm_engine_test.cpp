// The KVM engine's own setup and exit loop, run against the stand-in kernel:
// the code path a Book E host runs, minus the hardware.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "baremetal.hpp"
#include "engine/kvm/kvm_engine.hpp"
#include "stand_in_kvm.hpp"
#include "vmm/vm.hpp"

using namespace vmc;
using kvm::test::StandInKvm;
using namespace kvm::test;

namespace {

size_t position(const std::vector<std::string>& calls, const std::string& name) {
    return static_cast<size_t>(std::find(calls.begin(), calls.end(), name) - calls.begin());
}

} // namespace

TEST_CASE("bare-metal hello boots through the KVM engine to power-off", "[kvm][e2e]") {
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
    engine->reset();
    engine->run();

    CHECK(vm.control.reason() == vmm::ExitReason::PowerOff);
    CHECK(board.uart.out == expected);
    CHECK(kernel.mmio_exits > 100); // every UART access left the kernel
    CHECK(kernel.guest_instructions() > 1000);
    CHECK(kernel.mpic_base() == kMpicBase);
}

TEST_CASE("VM setup follows the kernel's order: memory, MPIC, vCPUs, TLB, registers", "[kvm]") {
    model::Machine machine = machine_with_mpic();
    machine.cpus = machine.max_cpus = 2;
    vmm::Vm vm(machine, {});
    StandInKvm kernel;
    vmm::CpuBootState boot;
    boot.running = true;
    boot.tlb1.push_back({3, vmm::TlbEntry{0, 0x80000a00, 0x10000000, 0x1000003f}});
    vm.boot.cpus.push_back(boot);
    auto engine = kvm::create_engine(vm, kernel);
    engine->reset();

    const auto& calls = kernel.calls;
    CHECK(position(calls, "KVM_SET_USER_MEMORY_REGION") < position(calls, "KVM_CREATE_DEVICE"));
    CHECK(position(calls, "KVM_CREATE_DEVICE") < position(calls, "KVM_SET_DEVICE_ATTR"));
    CHECK(position(calls, "KVM_SET_DEVICE_ATTR") < position(calls, "KVM_CREATE_VCPU"));
    CHECK(position(calls, "KVM_CREATE_VCPU") < position(calls, "KVM_ENABLE_CAP(SW_TLB)"));
    CHECK(position(calls, "KVM_ENABLE_CAP(SW_TLB)") < position(calls, "KVM_SET_REGS"));
    CHECK(position(calls, "KVM_SET_SREGS") < position(calls, "KVM_DIRTY_TLB"));
    CHECK(std::count(calls.begin(), calls.end(), "KVM_CREATE_VCPU") == 2);
    CHECK(std::count(calls.begin(), calls.end(), "KVM_ENABLE_CAP(IRQ_MPIC)") == 2);
    // TLB1 entry 3 of the boot state reached the kernel's TLB1 entry 3, not TLB0.
    vmm::TlbEntry loaded = kernel.core_tlb1(0, 3);
    CHECK(loaded.mas1 == 0x80000a00);
    CHECK(loaded.mas2 == 0x10000000);
    CHECK(loaded.mas7_3 == 0x1000003f);
    CHECK(kernel.core_tlb1(0, 0).mas1 == 0);
}

TEST_CASE("a host kernel without the software TLB is refused by name", "[kvm]") {
    kvm::test::HostKernel host;
    host.caps.erase(kvm::uapi::CapSwTlb);
    host.caps.erase(kvm::uapi::CapIrqMpic);
    model::Machine machine = machine_with_mpic();
    vmm::Vm vm(machine, {});
    StandInKvm kernel(host);
    try {
        auto engine = kvm::create_engine(vm, kernel);
        FAIL("the engine accepted a kernel without KVM_CAP_SW_TLB");
    } catch (const kvm::KvmError& error) {
        std::string message = error.what();
        CHECK(message.find("KVM_CAP_SW_TLB") != std::string::npos);
        CHECK(message.find("KVM_CAP_IRQ_MPIC") != std::string::npos);
        CHECK(message.find("KVM_CAP_ONE_REG") == std::string::npos);
    }
}

TEST_CASE("the in-kernel MPIC needs a 256 KiB aligned base and a known version", "[kvm]") {
    {
        model::Machine machine = machine_with_mpic("2.0", kMpicBase + 0x1000);
        vmm::Vm vm(machine, {});
        StandInKvm kernel;
        CHECK_THROWS_WITH(kvm::create_engine(vm, kernel), Catch::Contains("256 KiB aligned"));
    }
    {
        model::Machine machine = machine_with_mpic("3.0");
        vmm::Vm vm(machine, {});
        StandInKvm kernel;
        CHECK_THROWS_WITH(kvm::create_engine(vm, kernel), Catch::Contains("version 3.0"));
    }
}

TEST_CASE("the /hypervisor node carries the hypercall instructions the host reports", "[kvm]") {
    model::Machine machine = machine_with_mpic("4.2");
    vmm::Vm vm(machine, {});
    StandInKvm kernel;
    auto engine = kvm::create_engine(vm, kernel);
    fdt::Hypervisor node = engine->hypervisor();
    CHECK(node.compatible == std::vector<std::string>{"linux,kvm"});
    CHECK(node.hcall_instructions ==
          std::vector<uint32_t>{0x44000022, 0x60000000, 0x60000000, 0x60000000});
    CHECK(node.has_idle); // the stand-in reports KVM_PPC_PVINFO_FLAGS_EV_IDLE, as 6.1 does
    CHECK(engine->host_pvr() == machine.cpu.pvr);
}

TEST_CASE("the stand-in kernel refuses what 6.1 refuses", "[kvm]") {
    StandInKvm kernel;
    int vm = kernel.create_vm();
    // Page-aligned backing for the slot.
    void* aligned = nullptr;
    REQUIRE(posix_memalign(&aligned, 4096, 1 << 20) == 0);
    kvm::uapi::UserspaceMemoryRegion region{0, 0, 0, 1 << 20, reinterpret_cast<uintptr_t>(aligned)};
    kernel.set_user_memory_region(vm, region);
    int vcpu = kernel.create_vcpu(vm, 0);

    kvm::uapi::Book3e206TlbParams params{{512, 64, 0, 0}, {4, 64, 0, 0}, {}};
    std::vector<vmm::TlbEntry> array(576);
    kvm::uapi::ConfigTlb config{
        reinterpret_cast<uintptr_t>(&params), reinterpret_cast<uintptr_t>(array.data()),
        kvm::uapi::kMmuFslBookeHv, static_cast<uint32_t>(array.size() * sizeof(vmm::TlbEntry))};
    kvm::uapi::EnableCap cap{};
    cap.cap = kvm::uapi::CapSwTlb;
    cap.args[0] = reinterpret_cast<uintptr_t>(&config);
    CHECK_THROWS_WITH(kernel.enable_cap(vcpu, cap), Catch::Contains("NOHV"));

    config.mmu_type = kvm::uapi::kMmuFslBookeNohv;
    params.tlb_ways[0] = 3;
    CHECK_THROWS_AS(kernel.enable_cap(vcpu, cap), kvm::KvmError);
    params.tlb_ways[0] = 4;
    kernel.enable_cap(vcpu, cap);

    // A TLB0 entry must sit in the set its EPN selects.
    array[0] = vmm::TlbEntry{0, 0x80000100, 0x00001000, 0x15};
    uint64_t bits[9] = {1};
    kvm::uapi::DirtyTlb dirty{reinterpret_cast<uintptr_t>(bits), 1};
    CHECK_THROWS_WITH(kernel.dirty_tlb(vcpu, dirty), Catch::Contains("another set"));
    array[0].mas2 = 0;
    kernel.dirty_tlb(vcpu, dirty);

    kvm::uapi::Sregs sregs{};
    kernel.get_sregs(vcpu, sregs);
    sregs.pvr ^= 1;
    CHECK_THROWS_WITH(kernel.set_sregs(vcpu, sregs), Catch::Contains("PVR"));
    free(aligned);
}

namespace {

// A guest that arms the watchdog with a 2^20-tick period (TCR[WP]=3,
// TCR[WPEXT]=10: TB bit 43) and TCR[WRC]=2, then spins: the first expiry
// sets TSR[ENW], the second TSR[WIS], the third is final.
void load_watchdog_guest(vmm::Vm& vm) {
    const uint32_t program[] = {
        0x3c60e014, // lis   r3, 0xe014    (WP=3, WRC=2, WPEXT=10)
        0x7c7453a6, // mttcr r3
        0x48000000, // b     .
    };
    for (unsigned n = 0; n < std::size(program); ++n)
        vm.ram.write_be(0x1000 + 4 * n, program[n], 4);
    vmm::CpuBootState boot;
    boot.running = true;
    boot.pc = 0x1000;
    boot.tlb1.push_back({0, vmm::TlbEntry{0, 0x80000800, 0, 0x3f}});
    vm.boot.cpus.push_back(boot);
}

} // namespace

TEST_CASE("the watchdog's final expiry leaves KVM_RUN and resets the machine", "[kvm][watchdog]") {
    model::Machine machine = machine_with_mpic();
    vmm::Vm vm(machine, {});
    StandInKvm kernel;
    load_watchdog_guest(vm);
    auto engine = kvm::create_engine(vm, kernel);
    CHECK(position(kernel.calls, "KVM_ENABLE_CAP(PPC_BOOKE_WATCHDOG)") < kernel.calls.size());
    // Bound the run in case the exit never comes.
    vm.timers.schedule(vm.clock.now_ns() + 5'000'000'000ull, [&vm] {
        vm.control.request_stop(vmm::ExitReason::Timeout, "no watchdog exit");
    });
    engine->reset();
    engine->run();
    CHECK_FALSE(vm.control.stop_requested());
    CHECK(vm.control.take_reset_request()); // the caller's on-reset policy decides
    CHECK(kernel.watchdog_exits == 1);

    // The caller restarts the machine: the guest runs again from its entry
    // state, TCR and TSR cleared, and the watchdog fires again.
    engine->reset();
    engine->run();
    CHECK(vm.control.take_reset_request());
    CHECK(kernel.watchdog_exits == 2);
}

TEST_CASE("without KVM_CAP_PPC_BOOKE_WATCHDOG the final expiry stays in the kernel",
          "[kvm][watchdog]") {
    kvm::test::HostKernel host;
    host.caps.erase(kvm::uapi::CapPpcBookeWatchdog);
    model::Machine machine = machine_with_mpic();
    vmm::Vm vm(machine, {});
    StandInKvm kernel(host);
    load_watchdog_guest(vm);
    auto engine = kvm::create_engine(vm, kernel);
    CHECK(position(kernel.calls, "KVM_ENABLE_CAP(PPC_BOOKE_WATCHDOG)") == kernel.calls.size());
    // Three 2.6 ms periods reach the final expiry; 200 ms leaves room for several.
    vm.timers.schedule(vm.clock.now_ns() + 200'000'000ull, [&vm] {
        vm.control.request_stop(vmm::ExitReason::Timeout, "guest still running");
    });
    engine->reset();
    engine->run();
    CHECK(vm.control.reason() == vmm::ExitReason::Timeout);
    CHECK_FALSE(vm.control.take_reset_request());
    CHECK(kernel.final_watchdog_expiries >= 1);
    CHECK(kernel.watchdog_exits == 0);
}
