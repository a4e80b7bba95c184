// Where the kernel, the initrd and the device tree go, decided from the
// model and the images' headers before any Vm exists (so `vmcompose dtb` can
// write the initrd range into /chosen), then applied to a Vm.
//
// Placement follows QEMU's ppce500 board with -kernel and no firmware, so a
// DTB from `vmcompose dtb` is right for `qemu-system-ppc -M ppce500 -dtb`:
//   kernel end  = lowest load address + loaded size
//   initrd      = (max(kernel end, RAM + 32 MiB) + 32 MiB) rounded down to 16 MiB
//   device tree = (kernel end + 24 MiB) rounded down to 1 MiB
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "model/machine.hpp"
#include "vmm/boot_state.hpp"
#include "vmm/loader/image.hpp"

namespace vmc::vmm {

class Vm;

struct InitrdPlacement {
    std::string path;
    uint64_t address = 0;
    uint64_t size = 0;
    uint64_t end() const { return address + size; }
};

struct BootPlan {
    uint64_t ram_base = 0, ram_size = 0;
    uint32_t cpus = 1;
    std::optional<loader::KernelImage> kernel; // decoded, ready to copy
    std::optional<InitrdPlacement> initrd;
    uint64_t dtb_address = 0;
    // Space kept free for the DTB at dtb_address; place_dtb refuses larger blobs.
    uint64_t dtb_reserve = 0;
};

// Early Linux (head_85xx.S) reaches the DTB only through its first 64 MiB mapping.
constexpr uint64_t kEarlyMappedSize = 64ull << 20;
constexpr uint64_t kDtbReserve = 1ull << 20;
constexpr uint64_t kInitialStackPointer = (16ull << 20) - 8; // QEMU's r1

// Throws loader::LoadError (naming the file) for unreadable or malformed
// images, images that do not fit in RAM, and overlaps between kernel,
// initrd and DTB.
BootPlan plan_boot(const model::Machine& machine);

// Copies the kernel and the initrd into vm.ram and fills vm.boot.
void load_guest(Vm& vm, const BootPlan& plan);

// Copies the compiled DTB to vm.boot.dtb_address and updates the parts of
// vm.boot that depend on its size (the initial mapping, r7).
void place_dtb(Vm& vm, std::span<const uint8_t> dtb);

// The ePAPR entry state of every CPU for a plan and a DTB size: boot CPU
// running at the kernel entry with the initial TLB1 mapping, the others
// held until the spin table releases them.
BootState initial_boot_state(const BootPlan& plan, uint64_t dtb_size);

// TSIZE (log2 of the size in KiB, even as e500 TLB1 requires) of the
// initial mapping that covers [0, end): QEMU's rule, never below 64 MiB.
unsigned initial_map_tsize(uint64_t end);

// Gives a boot CPU the initial TLB1 entry 0 (EA = PA 0, supervisor and user
// read/write/execute, no IPROT, as QEMU sets it) covering [0, end), and the
// matching r7 (size of the initial mapped area).
void set_initial_mapping(CpuBootState& cpu, uint64_t end);

} // namespace vmc::vmm
