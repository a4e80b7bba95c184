// The bare-metal hello guest on a small machine for the KVM engine tests:
// RAM at 0, an in-kernel MPIC, and the two devices it touches (UART,
// power-off GPIO) as stubs on the userspace bus.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "config/device_config.hpp"
#include "model/machine.hpp"
#include "support/baremetal_board.hpp"
#include "vmm/vm.hpp"

namespace vmc::kvm::test {

constexpr uint64_t kMpicBase = 0xfe0040000;

inline model::Machine machine_with_mpic(const std::string& version = "2.0",
                                        uint64_t base = kMpicBase) {
    model::Machine m;
    m.name = "kvm-test";
    m.cpus = m.max_cpus = 1;
    m.memory = {0, 256ull << 20};
    model::Device mpic;
    mpic.name = "mpic";
    mpic.type = "fsl-mpic";
    mpic.address = base;
    mpic.size = 0x40000;
    mpic.props = {{"version", version}};
    m.devices.push_back(mpic);
    m.interrupt_controller = "mpic";
    return vmc::config::configured(std::move(m));
}

using vmc::test::GpioStub;
using vmc::test::load_elf;
using vmc::test::UartStub;

// Loads hello.elf and its ePAPR entry state as QEMU sets it up: the 64 MiB
// initial mapping, r3 at a (stub) device tree, r6 the ePAPR magic.
inline void load_hello(vmm::Vm& vm, const std::string& elf) {
    vmm::CpuBootState boot;
    boot.running = true;
    boot.pc = load_elf(vm.ram, elf);
    boot.gpr[1] = 0x00fffff8;
    boot.gpr[3] = 0x01800000;
    boot.gpr[6] = vmm::kEpaprMagic;
    boot.gpr[7] = 0x04000000;
    boot.tlb1.push_back({0, vmm::TlbEntry{0, 0x80000800, 0, 0x3f}});
    vm.boot.cpus.push_back(boot);
    vm.ram.write_be(0x01800000, 0xd00dfeed, 4);
    vm.ram.write_be(0x01800004, 0x00100000, 4);
}

// hello.elf loaded into `vm` with the two devices it touches on the
// userspace bus at the board's addresses. Lives as long as `vm` runs.
struct HelloBoard {
    UartStub uart;
    GpioStub gpio;
    HelloBoard(vmm::Vm& vm, const std::string& elf) : gpio(&vm.control) {
        vm.bus.add(0xfe0004500, 0x100, &uart, "serial0");
        vm.bus.add(0xfe00ff000, 0x1000, &gpio, "gpio");
        load_hello(vm, elf);
    }
    HelloBoard(const HelloBoard&) = delete; // the bus holds pointers to the stubs
    HelloBoard& operator=(const HelloBoard&) = delete;
};

} // namespace vmc::kvm::test
