#include "vmm/boot_plan.hpp"

#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "vmm/loader/file_bytes.hpp"
#include "vmm/loader/kernel.hpp"
#include "vmm/loader/load_error.hpp"
#include "vmm/vm.hpp"

namespace vmc::vmm {
namespace {

using loader::LoadError;

// QEMU ppce500's placement constants (hw/ppc/e500.c).
constexpr uint64_t kFirmwareArea = 32ull << 20; // blobs go above where U-Boot would live
constexpr uint64_t kInitrdPad = 0x2000000, kInitrdAlign = 0x1000000;
constexpr uint64_t kDtbPad = 0x1800000, kDtbAlign = 0x100000;

struct Range {
    const char* what;
    std::string file;
    uint64_t start, end;
};

std::string describe(const Range& r) {
    return fmt::format("{} [0x{:x}, 0x{:x})", r.what, r.start, r.end);
}

void check_inside_ram(const BootPlan& plan, const Range& r) {
    uint64_t ram_end = plan.ram_base + plan.ram_size;
    if (r.end - r.start > plan.ram_size)
        throw LoadError(r.file, fmt::format("{} is larger than guest RAM (0x{:x} bytes)",
                                            describe(r), plan.ram_size));
    if (r.start < plan.ram_base || r.end > ram_end)
        throw LoadError(r.file, fmt::format("{} lies outside guest RAM [0x{:x}, 0x{:x})",
                                            describe(r), plan.ram_base, ram_end));
}

void check_no_overlap(const std::vector<Range>& ranges) {
    for (size_t i = 0; i < ranges.size(); ++i)
        for (size_t j = i + 1; j < ranges.size(); ++j) {
            const Range &a = ranges[i], &b = ranges[j];
            if (a.start < b.end && b.start < a.end)
                throw LoadError(
                    b.file, fmt::format("{} overlaps {} of {}", describe(b), describe(a), a.file));
        }
}

} // namespace

BootPlan plan_boot(const model::Machine& machine) {
    BootPlan plan;
    plan.ram_base = machine.memory.base;
    plan.ram_size = machine.memory.size;
    plan.cpus = machine.cpus;
    plan.dtb_reserve = kDtbReserve;

    std::vector<Range> ranges;
    uint64_t payload_end = plan.ram_base;
    if (!machine.boot.kernel.empty()) {
        plan.kernel = loader::read_kernel(machine.boot.kernel, machine.boot.kernel_format,
                                          machine.boot.kernel_address, plan.ram_size);
        const auto& k = *plan.kernel;
        for (const auto& seg : k.segments) {
            Range r{"kernel segment", k.path, seg.address, seg.end()};
            check_inside_ram(plan, r);
            ranges.push_back(r);
        }
        payload_end = k.load_address + k.payload_size;
    }

    if (!machine.boot.initrd.empty()) {
        uint64_t size = loader::file_size(machine.boot.initrd);
        if (size == 0) throw LoadError(machine.boot.initrd, "initrd file is empty");
        uint64_t floor = std::max(payload_end, plan.ram_base + kFirmwareArea);
        uint64_t address = (floor + kInitrdPad) & ~(kInitrdAlign - 1);
        plan.initrd = InitrdPlacement{machine.boot.initrd, address, size};
        Range r{"initrd", machine.boot.initrd, address, address + size};
        if (size > plan.ram_size || address + size < address)
            throw LoadError(r.file, fmt::format("initrd is {} bytes, larger than guest RAM", size));
        check_inside_ram(plan, r);
        ranges.push_back(r);
    }

    plan.dtb_address = (payload_end + kDtbPad) & ~(kDtbAlign - 1);
    Range dtb{"device tree", plan.kernel ? plan.kernel->path : std::string("device tree"),
              plan.dtb_address, plan.dtb_address + plan.dtb_reserve};
    check_inside_ram(plan, dtb);
    if (dtb.end > plan.ram_base + kEarlyMappedSize)
        throw LoadError(dtb.file, fmt::format("{} would lie beyond the first 64 MiB of RAM that "
                                              "early Linux can reach; the kernel is too large",
                                              describe(dtb)));
    ranges.push_back(dtb);
    check_no_overlap(ranges);
    return plan;
}

void load_guest(Vm& vm, const BootPlan& plan) {
    if (!plan.kernel) throw std::runtime_error("no kernel to boot: the machine names none");
    if (plan.ram_base != vm.ram.base() || plan.ram_size != vm.ram.size())
        throw std::logic_error("boot plan was made for a different RAM layout");
    const auto& k = *plan.kernel;
    for (const auto& seg : k.segments) {
        auto dest = vm.ram.span(seg.address, seg.mem_size);
        if (dest.empty()) throw LoadError(k.path, "segment outside guest RAM");
        // .bss beyond the file data starts zeroed even when RAM is reused.
        if (!vm.ram.write(seg.address, seg.data))
            throw LoadError(k.path, "segment outside guest RAM");
        std::memset(dest.data() + seg.data.size(), 0, dest.size() - seg.data.size());
    }
    if (plan.initrd) {
        const auto& rd = *plan.initrd;
        auto bytes = loader::read_file(rd.path, plan.ram_size);
        if (bytes.size() != rd.size)
            throw LoadError(rd.path, fmt::format("initrd changed size since the boot plan was made "
                                                 "({} bytes, now {})",
                                                 rd.size, bytes.size()));
        if (!vm.ram.write(rd.address, bytes)) throw LoadError(rd.path, "initrd outside guest RAM");
    }
    vm.boot = initial_boot_state(plan, 0);
}

void place_dtb(Vm& vm, std::span<const uint8_t> dtb) {
    uint64_t at = vm.boot.dtb_address;
    if (dtb.empty()) throw std::runtime_error("device tree: blob is empty");
    if (at % 8 != 0)
        throw std::runtime_error(
            fmt::format("device tree: address 0x{:x} is not 8-byte aligned", at));
    if (dtb.size() > kDtbReserve)
        throw std::runtime_error(fmt::format("device tree: {} bytes, more than the 0x{:x} bytes "
                                             "reserved for it",
                                             dtb.size(), kDtbReserve));
    if (at + dtb.size() > vm.ram.base() + kEarlyMappedSize)
        throw std::runtime_error(fmt::format("device tree at 0x{:x} would end beyond the first "
                                             "64 MiB of RAM that early Linux can reach",
                                             at));
    if (!vm.ram.write(at, dtb))
        throw std::runtime_error(
            fmt::format("device tree at 0x{:x} (+{} bytes) is outside guest RAM", at, dtb.size()));
    vm.dtb.assign(dtb.begin(), dtb.end());
    vm.boot.dtb_size = dtb.size();
    // The initial mapping covers the DTB: recompute it for the real size.
    for (auto& cpu : vm.boot.cpus)
        if (cpu.running) set_initial_mapping(cpu, at + dtb.size());
}

} // namespace vmc::vmm
