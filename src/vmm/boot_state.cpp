// ePAPR 1.1 §5.4.1 entry state, as QEMU's ppce500 sets it for -kernel.
#include "vmm/boot_plan.hpp"

#include <bit>

namespace vmc::vmm {
namespace {

// MAS1 and MAS3 fields (Power ISA 2.06 Book III-E, MAV 1.0 TSIZE encoding).
constexpr uint32_t kMas1Valid = 0x80000000;
constexpr unsigned kMas1TsizeShift = 7;
constexpr uint32_t kMas1TsizeMask = 0xf80;
constexpr uint32_t kMas3AllPermissions = 0x3f; // UX SX UW SW UR SR
constexpr unsigned kMinTsize = 16;             // 64 MiB

} // namespace

unsigned initial_map_tsize(uint64_t end) {
    // Smallest power of two (in KiB) strictly above `end`, rounded up to an
    // even exponent because e500 TLB1 sizes are powers of 4.
    uint64_t kib = end >> 10;
    unsigned tsize = kib == 0 ? 1 : static_cast<unsigned>(std::bit_width(kib));
    if (tsize & 1) ++tsize;
    return tsize < kMinTsize ? kMinTsize : tsize;
}

void set_initial_mapping(CpuBootState& cpu, uint64_t end) {
    unsigned tsize = initial_map_tsize(end);
    TlbEntry e;
    e.mas1 = kMas1Valid | ((tsize << kMas1TsizeShift) & kMas1TsizeMask);
    e.mas2 = 0;                     // EPN 0, WIMGE 0
    e.mas7_3 = kMas3AllPermissions; // RPN 0
    cpu.tlb1.clear();
    cpu.tlb1.push_back({0, e});
    cpu.gpr[7] = static_cast<uint32_t>(uint64_t{1} << (10 + tsize));
}

BootState initial_boot_state(const BootPlan& plan, uint64_t dtb_size) {
    BootState boot;
    boot.dtb_address = plan.dtb_address;
    boot.dtb_size = dtb_size;
    if (plan.kernel) {
        boot.kernel_entry = plan.kernel->entry;
        boot.kernel_start = plan.kernel->start();
        boot.kernel_end = plan.kernel->end();
    }
    if (plan.initrd) {
        boot.initrd_start = plan.initrd->address;
        boot.initrd_end = plan.initrd->end();
    }
    for (uint32_t i = 0; i < plan.cpus; ++i) {
        CpuBootState cpu;
        cpu.pir = i;
        cpu.msr = 0;
        if (i == 0) {
            cpu.running = true;
            cpu.pc = boot.kernel_entry;
            cpu.gpr[1] = static_cast<uint32_t>(kInitialStackPointer);
            cpu.gpr[3] = static_cast<uint32_t>(plan.dtb_address);
            cpu.gpr[6] = kEpaprMagic;
            set_initial_mapping(cpu, plan.dtb_address + dtb_size);
        }
        // Secondary CPUs start when the boot CPU writes their spin-table
        // entry; the spin table supplies their entry state then.
        boot.cpus.push_back(cpu);
    }
    return boot;
}

} // namespace vmc::vmm
