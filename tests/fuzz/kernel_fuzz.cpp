// Kernel images: the ELF and uImage parsers on the raw bytes, then the
// whole path a machine's kernel takes (read_kernel through a file, boot
// planning against RAM, loading into a Vm). Malformed headers, overlapping
// or out-of-RAM segments, bad CRCs and truncated gzip must end in a
// LoadError; whatever is accepted must keep the KernelImage promises.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz_input.hpp"
#include "temp_file.hpp"
#include "vmm/boot_plan.hpp"
#include "vmm/loader/elf.hpp"
#include "vmm/loader/kernel.hpp"
#include "vmm/loader/load_error.hpp"
#include "vmm/loader/uimage.hpp"
#include "vmm/vm.hpp"

namespace {

using namespace vmc;
using vmm::loader::KernelImage;

constexpr uint64_t kRamSize = 128ull << 20;
constexpr uint64_t kDecodeLimit = 4ull << 20; // keeps one input fast; the real limit is RAM

[[noreturn]] void broken(const char* what) {
    std::fprintf(stderr, "kernel image: %s\n", what);
    std::abort();
}

// What image.hpp promises: segments sorted and disjoint, data within each
// segment's memory size, no address arithmetic that wraps.
void check_image(const KernelImage& image) {
    uint64_t previous_end = 0;
    for (size_t i = 0; i < image.segments.size(); ++i) {
        const auto& seg = image.segments[i];
        if (seg.data.size() > seg.mem_size) broken("segment data longer than its memory size");
        if (seg.address + seg.mem_size < seg.address) broken("segment end wraps around");
        if (i > 0 && seg.address < previous_end) broken("segments overlap or are unsorted");
        previous_end = seg.end();
    }
    if (!image.segments.empty() && image.end() < image.start())
        broken("image ends before it starts");
}

void parse_in_place(std::span<const uint8_t> bytes) {
    try {
        if (vmm::loader::looks_like_elf(bytes)) check_image(vmm::loader::parse_elf("fuzz", bytes));
    } catch (const vmm::loader::LoadError&) {
    }
    try {
        if (vmm::loader::looks_like_uimage(bytes))
            check_image(vmm::loader::parse_uimage("fuzz", bytes, kDecodeLimit));
    } catch (const vmm::loader::LoadError&) {
    }
}

void boot_from_file(std::span<const uint8_t> bytes, uint8_t format_selector) {
    static constexpr const char* kFormats[] = {"auto", "elf", "uimage", "raw"};
    fuzz::TempFile file(bytes, ".kernel");
    model::Machine machine;
    machine.name = "fuzz";
    machine.memory = {0, kRamSize};
    machine.boot.kernel = file.path();
    machine.boot.kernel_format = kFormats[format_selector & 3];
    machine.boot.kernel_address = (format_selector >> 2) * 0x100000ull;
    try {
        check_image(vmm::loader::read_kernel(file.path(), machine.boot.kernel_format,
                                             machine.boot.kernel_address, kDecodeLimit));
        auto plan = vmm::plan_boot(machine);
        vmm::Vm vm(machine, {});
        vmm::load_guest(vm, plan);
    } catch (const vmm::loader::LoadError&) {
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::Input in(data, size);
    uint8_t format_selector = in.u8();
    auto image = in.rest();
    parse_in_place(image);
    if (!image.empty()) boot_from_file(image, format_selector);
    return 0;
}
