// The architected state each vCPU starts in (ePAPR 1.1 §5.4.1), computed
// from the model and the loaded images. Plain data: both engines apply it.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace vmc::vmm {

// Same layout and meaning as Linux's struct kvm_book3e_206_tlb_entry, so
// state moves unchanged between the emulator and KVM's shared TLB array.
struct TlbEntry {
    uint32_t mas8 = 0;
    uint32_t mas1 = 0;
    uint64_t mas2 = 0;
    uint64_t mas7_3 = 0;
};

struct CpuBootState {
    uint32_t pir = 0;
    bool running = false; // false: halted until released through the spin table
    uint64_t pc = 0;      // effective address of the first instruction
    uint32_t msr = 0;
    std::array<uint64_t, 32> gpr{}; // a 32-bit core takes the low words
    struct Tlb1Entry {
        unsigned index;
        TlbEntry entry;
    };
    std::vector<Tlb1Entry> tlb1; // initial TLB1 contents; TLB0 starts empty
};

struct BootState {
    std::vector<CpuBootState> cpus; // index = cpu number
    uint64_t dtb_address = 0;
    uint64_t dtb_size = 0;
    uint64_t kernel_entry = 0; // physical
    uint64_t kernel_start = 0, kernel_end = 0;
    uint64_t initrd_start = 0, initrd_end = 0; // 0/0: none
};

constexpr uint32_t kEpaprMagic = 0x45504150; // "EPAP"

} // namespace vmc::vmm
