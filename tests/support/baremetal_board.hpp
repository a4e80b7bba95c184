// What the bare-metal reference guests (shared/guest/baremetal) need of a
// board in the engine tests: the UART and the power-off GPIO as minimal MMIO
// stubs, and an ELF loader for their program headers.
#pragma once

#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <span>
#include <string>

#include "vmm/vm.hpp"

namespace vmc::test {

// The reference guests next to the checkout, when the machine has them.
inline const std::string kBaremetalGuestDir =
    std::string(VMC_SOURCE_DIR) + "/../shared/guest/baremetal/";

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

// hello.elf and the console QEMU printed for it, as the engines must print it.
struct HelloReference {
    std::string elf;
    std::string console;
};

// Empty when the reference guest is not next to the checkout.
inline std::optional<HelloReference> read_hello_reference() {
    std::ifstream elf_file(kBaremetalGuestDir + "hello.elf", std::ios::binary);
    std::ifstream log_file(kBaremetalGuestDir + "qemu-hello.log");
    if (!elf_file || !log_file) return std::nullopt;
    HelloReference ref{std::string(std::istreambuf_iterator<char>(elf_file), {}),
                       std::string(std::istreambuf_iterator<char>(log_file), {})};
    std::erase(ref.console, '\r'); // the log keeps the guest's CRLF; the UART stub drops CR
    // QEMU 7.2 deviation: its e500mc reads MMUCFG as 0. The e500mc reports
    // RASIZE 36, one 8-bit PID and two TLBs (004809c4), which is what vmcompose
    // returns (and the stand-in kernel's emulated host core).
    if (auto at = ref.console.find("mmucfg=00000000"); at != std::string::npos)
        ref.console.replace(at, 15, "mmucfg=004809c4");
    return ref;
}

} // namespace vmc::test
