#include "vmm/loader/uimage.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>
#ifndef VMC_NO_ZLIB
#include <zlib.h>
#endif

#include "vmm/loader/be_reader.hpp"
#include "vmm/loader/gunzip.hpp"
#include "vmm/loader/load_error.hpp"

namespace vmc::vmm::loader {
namespace {

// Header field offsets (U-Boot's include/image.h, legacy format).
constexpr uint64_t kOffHcrc = 4, kOffSize = 12, kOffLoad = 16, kOffEntry = 20, kOffDcrc = 24;
constexpr uint64_t kOffArch = 29, kOffType = 30, kOffComp = 31;
constexpr uint8_t kArchPowerPc = 7;
constexpr uint8_t kTypeKernel = 2;
constexpr uint8_t kCompNone = 0, kCompGzip = 1;

#ifdef VMC_NO_ZLIB
// CRC-32 (IEEE 802.3, reflected, as zlib's crc32) for builds without zlib.
uint32_t crc32_of(std::span<const uint8_t> bytes) {
    uint32_t crc = 0xffffffff;
    for (uint8_t byte : bytes) {
        crc ^= byte;
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
    return ~crc;
}
#else
uint32_t crc32_of(std::span<const uint8_t> bytes) {
    uLong crc = crc32(0L, Z_NULL, 0);
    // zlib takes uInt lengths: feed large buffers in pieces.
    while (!bytes.empty()) {
        size_t n = std::min<size_t>(bytes.size(), 1u << 30);
        crc = crc32(crc, bytes.data(), static_cast<uInt>(n));
        bytes = bytes.subspan(n);
    }
    return static_cast<uint32_t>(crc);
}
#endif

} // namespace

bool looks_like_uimage(std::span<const uint8_t> bytes) {
    return bytes.size() >= 4 && (uint32_t{bytes[0]} << 24 | uint32_t{bytes[1]} << 16 |
                                 uint32_t{bytes[2]} << 8 | bytes[3]) == kUImageMagic;
}

KernelImage parse_uimage(const std::string& path, std::span<const uint8_t> bytes, uint64_t limit) {
    BeReader in(path, bytes);
    if (!looks_like_uimage(bytes)) throw LoadError(path, "not a uImage (bad magic)");
    if (!in.has(0, kUImageHeaderSize)) throw LoadError(path, "truncated uImage header");

    // The header CRC covers the header with its own CRC field zeroed.
    std::array<uint8_t, kUImageHeaderSize> header{};
    std::copy_n(bytes.begin(), kUImageHeaderSize, header.begin());
    std::fill_n(header.begin() + kOffHcrc, 4, 0);
    uint32_t hcrc = in.u32(kOffHcrc, "uImage header");
    if (crc32_of(header) != hcrc)
        throw LoadError(path, fmt::format("uImage header CRC mismatch (header says 0x{:08x}, "
                                          "computed 0x{:08x})",
                                          hcrc, crc32_of(header)));

    uint32_t size = in.u32(kOffSize, "uImage header");
    uint8_t arch = bytes[kOffArch], type = bytes[kOffType], comp = bytes[kOffComp];
    if (arch != kArchPowerPc)
        throw LoadError(path, fmt::format("uImage is for architecture {}, not PowerPC ({})", arch,
                                          kArchPowerPc));
    if (type != kTypeKernel)
        throw LoadError(path,
                        fmt::format("uImage type {} is not a kernel ({})", type, kTypeKernel));
    if (!in.has(kUImageHeaderSize, size))
        throw LoadError(path,
                        fmt::format("truncated uImage: header says {} data bytes, file has {}",
                                    size, bytes.size() - kUImageHeaderSize));
    auto payload = bytes.subspan(kUImageHeaderSize, size);
    uint32_t dcrc = in.u32(kOffDcrc, "uImage header");
    if (crc32_of(payload) != dcrc)
        throw LoadError(path, fmt::format("uImage data CRC mismatch (header says 0x{:08x}, "
                                          "computed 0x{:08x})",
                                          dcrc, crc32_of(payload)));

    LoadSegment seg;
    std::shared_ptr<const void> storage;
    seg.address = in.u32(kOffLoad, "uImage header");
    if (comp == kCompNone) {
        if (payload.size() > limit)
            throw LoadError(path, fmt::format("uImage payload is {} bytes, larger than guest RAM",
                                              payload.size()));
        seg.data = payload;
    } else if (comp == kCompGzip) {
        auto decompressed =
            std::make_shared<const std::vector<uint8_t>>(gunzip(path, payload, limit));
        seg.data = *decompressed;
        storage = decompressed;
    } else {
        throw LoadError(
            path, fmt::format("uImage compression {} is not supported (only none and gzip)", comp));
    }
    if (seg.data.empty()) throw LoadError(path, "uImage payload is empty");
    seg.mem_size = seg.data.size();

    KernelImage image;
    image.path = path;
    image.format = KernelFormat::UImage;
    image.entry = in.u32(kOffEntry, "uImage header");
    image.load_address = seg.address;
    image.payload_size = seg.mem_size;
    image.storage = std::move(storage);
    image.segments.push_back(std::move(seg));
    return image;
}

} // namespace vmc::vmm::loader
