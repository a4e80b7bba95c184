// The bare-metal hello guest on a small machine for the KVM engine tests:
// RAM at 0, an in-kernel MPIC, and the two devices it touches (UART,
// power-off GPIO) as stubs on the userspace bus.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "model/machine.hpp"
#include "vmm/vm.hpp"

namespace vmc::kvm::test {

// The reference guests next to the checkout, when the machine has them.
inline const std::string kGuestDir = std::string(VMC_SOURCE_DIR) + "/../shared/guest/baremetal/";
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
    return m;
}

struct UartStub : vmm::MmioHandler {
    std::string out;
    uint8_t lcr = 0;
    uint64_t mmio_read(uint64_t offset, unsigned) override {
        if (offset == 5) return 0x60; // LSR: THRE | TEMT
        if (offset == 3) return lcr;
        return 0;
    }
    void mmio_write(uint64_t offset, uint64_t value, unsigned) override {
        if (offset == 3) lcr = static_cast<uint8_t>(value);
        if (offset == 0 && !(lcr & 0x80) && value != '\r') out += static_cast<char>(value);
    }
};

struct GpioStub : vmm::MmioHandler {
    vmm::VmControl* control;
    explicit GpioStub(vmm::VmControl* c) : control(c) {}
    uint64_t mmio_read(uint64_t, unsigned) override { return 0; }
    void mmio_write(uint64_t offset, uint64_t value, unsigned) override {
        if (offset == 8 && (value & 0x80000000)) control->request_stop(vmm::ExitReason::PowerOff);
    }
};

inline uint32_t be32(const std::string& b, size_t at) {
    return (uint32_t(uint8_t(b[at])) << 24) | (uint32_t(uint8_t(b[at + 1])) << 16) |
           (uint32_t(uint8_t(b[at + 2])) << 8) | uint8_t(b[at + 3]);
}
inline uint16_t be16(const std::string& b, size_t at) {
    return static_cast<uint16_t>((uint8_t(b[at]) << 8) | uint8_t(b[at + 1]));
}

inline uint32_t load_elf(vmm::GuestRam& ram, const std::string& elf) {
    uint32_t phoff = be32(elf, 28);
    uint16_t phentsize = be16(elf, 42), phnum = be16(elf, 44);
    for (unsigned n = 0; n < phnum; ++n) {
        size_t ph = phoff + n * phentsize;
        if (be32(elf, ph) != 1) continue;
        uint32_t offset = be32(elf, ph + 4), paddr = be32(elf, ph + 12),
                 filesz = be32(elf, ph + 16);
        ram.write(paddr, std::span(reinterpret_cast<const uint8_t*>(elf.data()) + offset, filesz));
    }
    return be32(elf, 24);
}

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

} // namespace vmc::kvm::test
