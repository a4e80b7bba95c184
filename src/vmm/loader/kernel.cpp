#include "vmm/loader/kernel.hpp"

#include "vmm/loader/elf.hpp"
#include "vmm/loader/file_bytes.hpp"
#include "vmm/loader/load_error.hpp"
#include "vmm/loader/uimage.hpp"

namespace vmc::vmm::loader {
namespace {

KernelImage raw_image(const std::string& path, std::span<const uint8_t> bytes, uint64_t address) {
    KernelImage image;
    image.path = path;
    image.format = KernelFormat::Raw;
    image.entry = address;
    image.load_address = address;
    image.payload_size = bytes.size();
    LoadSegment seg;
    seg.address = address;
    seg.mem_size = bytes.size();
    seg.data = bytes;
    image.segments.push_back(std::move(seg));
    return image;
}

} // namespace

KernelImage read_kernel(const std::string& path, std::string format, uint64_t raw_address,
                        uint64_t limit) {
    // A compressed uImage may be small on disk and large in RAM; `limit` is
    // re-checked on the decompressed size.
    auto file = MappedFile::open(path, limit);
    std::span<const uint8_t> bytes = file->bytes();
    if (bytes.empty()) throw LoadError(path, "kernel file is empty");
    if (format == "auto") {
        if (looks_like_elf(bytes))
            format = "elf";
        else if (looks_like_uimage(bytes))
            format = "uimage";
        else
            throw LoadError(path, "not an ELF or uImage kernel (unknown magic); set "
                                  "`kernel-format: raw` to load it as a raw binary");
    }
    KernelImage image;
    if (format == "elf")
        image = parse_elf(path, bytes);
    else if (format == "uimage")
        image = parse_uimage(path, bytes, limit);
    else if (format == "raw")
        image = raw_image(path, bytes, raw_address);
    else
        throw LoadError(path, "unknown kernel format '" + format + "'");
    // A decompressed payload brings its own storage; everything else points into the file.
    if (!image.storage) image.storage = std::move(file);
    return image;
}

} // namespace vmc::vmm::loader
