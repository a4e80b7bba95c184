#include "vmm/loader/kernel.hpp"

#include "vmm/loader/elf.hpp"
#include "vmm/loader/file_bytes.hpp"
#include "vmm/loader/load_error.hpp"
#include "vmm/loader/uimage.hpp"

namespace vmc::vmm::loader {
namespace {

KernelImage raw_image(const std::string& path, std::vector<uint8_t> bytes, uint64_t address) {
    KernelImage image;
    image.path = path;
    image.format = KernelFormat::Raw;
    image.entry = address;
    image.load_address = address;
    image.payload_size = bytes.size();
    LoadSegment seg;
    seg.address = address;
    seg.mem_size = bytes.size();
    seg.data = std::move(bytes);
    image.segments.push_back(std::move(seg));
    return image;
}

} // namespace

KernelImage read_kernel(const std::string& path, const std::string& format, uint64_t raw_address,
                        uint64_t limit) {
    // A compressed uImage may be small on disk and large in RAM; `limit` is
    // re-checked on the decompressed size.
    std::vector<uint8_t> bytes = read_file(path, limit);
    if (bytes.empty()) throw LoadError(path, "kernel file is empty");
    if (format == "elf") return parse_elf(path, bytes);
    if (format == "uimage") return parse_uimage(path, bytes, limit);
    if (format == "raw") return raw_image(path, std::move(bytes), raw_address);
    if (format != "auto") throw LoadError(path, "unknown kernel format '" + format + "'");
    if (looks_like_elf(bytes)) return parse_elf(path, bytes);
    if (looks_like_uimage(bytes)) return parse_uimage(path, bytes, limit);
    throw LoadError(path, "not an ELF or uImage kernel (unknown magic); set `kernel-format: raw` "
                          "to load it as a raw binary");
}

} // namespace vmc::vmm::loader
