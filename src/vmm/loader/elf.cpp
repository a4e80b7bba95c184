#include "vmm/loader/elf.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "vmm/loader/be_reader.hpp"
#include "vmm/loader/load_error.hpp"

namespace vmc::vmm::loader {
namespace {

// ELF identification and header constants (System V gABI, PowerPC psABI).
constexpr unsigned kEiClass = 4, kEiData = 5;
constexpr uint8_t kClass32 = 1, kClass64 = 2, kDataBigEndian = 2;
constexpr uint16_t kTypeExec = 2, kTypeDyn = 3;
constexpr uint16_t kMachinePpc = 20, kMachinePpc64 = 21;
constexpr uint32_t kPtLoad = 1;
constexpr uint32_t kPfExecute = 1;

// Field offsets and widths that differ between ELF32 and ELF64.
struct Layout {
    unsigned word; // 4 or 8
    uint64_t e_entry, e_phoff, e_phentsize, e_phnum, header_size;
    uint64_t p_flags, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, phdr_size;
};
constexpr Layout kElf32{4, 24, 28, 42, 44, 52, 24, 4, 8, 12, 16, 20, 32};
constexpr Layout kElf64{8, 24, 32, 54, 56, 64, 4, 8, 16, 24, 32, 40, 56};

struct ProgramHeader {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz;
};

} // namespace

bool looks_like_elf(std::span<const uint8_t> bytes) {
    return bytes.size() >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' &&
           bytes[3] == 'F';
}

KernelImage parse_elf(const std::string& path, std::span<const uint8_t> bytes) {
    BeReader in(path, bytes);
    if (!looks_like_elf(bytes)) throw LoadError(path, "not an ELF file (bad magic)");
    if (!in.has(0, 16)) throw LoadError(path, "truncated ELF identification");
    if (bytes[kEiData] != kDataBigEndian)
        throw LoadError(path, "ELF file is little-endian; an e500 kernel is big-endian");
    const Layout* l = nullptr;
    if (bytes[kEiClass] == kClass32)
        l = &kElf32;
    else if (bytes[kEiClass] == kClass64)
        l = &kElf64;
    else
        throw LoadError(path, fmt::format("unknown ELF class {}", bytes[kEiClass]));
    if (!in.has(0, l->header_size)) throw LoadError(path, "truncated ELF header");

    uint16_t type = in.u16(16, "ELF header");
    uint16_t machine = in.u16(18, "ELF header");
    if (type != kTypeExec && type != kTypeDyn)
        throw LoadError(path, fmt::format("ELF type {} is not an executable", type));
    if (machine != kMachinePpc && machine != kMachinePpc64)
        throw LoadError(path, fmt::format("ELF machine {} is not PowerPC", machine));

    uint64_t e_entry = in.read(l->e_entry, l->word, "ELF header");
    uint64_t phoff = in.read(l->e_phoff, l->word, "ELF header");
    uint16_t phentsize = in.u16(l->e_phentsize, "ELF header");
    uint16_t phnum = in.u16(l->e_phnum, "ELF header");
    if (phnum == 0) throw LoadError(path, "ELF file has no program headers");
    if (phentsize < l->phdr_size)
        throw LoadError(path, fmt::format("ELF program header size {} is too small", phentsize));
    if (!in.has(phoff, uint64_t{phentsize} * phnum))
        throw LoadError(path, "truncated ELF program header table");

    std::vector<ProgramHeader> loads;
    for (unsigned i = 0; i < phnum; ++i) {
        uint64_t at = phoff + uint64_t{i} * phentsize;
        ProgramHeader ph{in.u32(at, "program header"),
                         in.u32(at + l->p_flags, "program header"),
                         in.read(at + l->p_offset, l->word, "program header"),
                         in.read(at + l->p_vaddr, l->word, "program header"),
                         in.read(at + l->p_paddr, l->word, "program header"),
                         in.read(at + l->p_filesz, l->word, "program header"),
                         in.read(at + l->p_memsz, l->word, "program header")};
        if (ph.type != kPtLoad || ph.memsz == 0) continue;
        if (ph.filesz > ph.memsz)
            throw LoadError(path,
                            fmt::format("segment {}: file size 0x{:x} exceeds memory size 0x{:x}",
                                        i, ph.filesz, ph.memsz));
        if (!in.has(ph.offset, ph.filesz))
            throw LoadError(path, fmt::format("segment {}: data at 0x{:x}+0x{:x} runs past the end "
                                              "of the file (truncated?)",
                                              i, ph.offset, ph.filesz));
        if (ph.paddr + ph.memsz < ph.paddr)
            throw LoadError(path, fmt::format("segment {}: address range wraps around", i));
        loads.push_back(ph);
    }
    if (loads.empty()) throw LoadError(path, "ELF file has no loadable segments");

    KernelImage image;
    image.path = path;
    image.format = KernelFormat::Elf;
    image.entry = e_entry;
    image.load_address = UINT64_MAX;
    for (const auto& ph : loads) {
        // The entry is virtual; move it to physical through the executable
        // segment that contains it (what QEMU's ELF loader does).
        if ((ph.flags & kPfExecute) && ph.vaddr != ph.paddr && e_entry >= ph.vaddr &&
            e_entry - ph.vaddr < ph.filesz)
            image.entry = e_entry - ph.vaddr + ph.paddr;
        LoadSegment seg;
        seg.address = ph.paddr;
        seg.mem_size = ph.memsz;
        auto data = bytes.subspan(ph.offset, ph.filesz);
        seg.data.assign(data.begin(), data.end());
        image.segments.push_back(std::move(seg));
        image.load_address = std::min(image.load_address, ph.paddr);
        image.payload_size += ph.memsz;
    }
    std::sort(image.segments.begin(), image.segments.end(),
              [](const LoadSegment& a, const LoadSegment& b) { return a.address < b.address; });
    for (size_t i = 1; i < image.segments.size(); ++i) {
        const auto& prev = image.segments[i - 1];
        const auto& cur = image.segments[i];
        if (cur.address < prev.end())
            throw LoadError(path,
                            fmt::format("segments overlap: [0x{:x}, 0x{:x}) and [0x{:x}, 0x{:x})",
                                        prev.address, prev.end(), cur.address, cur.end()));
    }
    return image;
}

} // namespace vmc::vmm::loader
