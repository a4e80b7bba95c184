// U-Boot legacy uImage kernels: a 64-byte big-endian header (magic, header
// CRC, data CRC, load address, entry, OS, architecture, type, compression)
// followed by the payload, raw or gzip.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "vmm/loader/image.hpp"

namespace vmc::vmm::loader {

constexpr uint32_t kUImageMagic = 0x27051956;
constexpr size_t kUImageHeaderSize = 64;

bool looks_like_uimage(std::span<const uint8_t> bytes);

// Checks both CRCs, the architecture (PowerPC) and the type (kernel), and
// decompresses gzip payloads up to `limit` bytes. An uncompressed payload
// points into `bytes` (the caller keeps them alive); a decompressed one is
// owned by the image's storage.
KernelImage parse_uimage(const std::string& path, std::span<const uint8_t> bytes, uint64_t limit);

} // namespace vmc::vmm::loader
