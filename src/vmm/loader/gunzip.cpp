#include "vmm/loader/gunzip.hpp"

#include <fmt/format.h>
#ifndef VMC_NO_ZLIB
#include <zlib.h>
#endif

#include "vmm/loader/load_error.hpp"

namespace vmc::vmm::loader {

#ifdef VMC_NO_ZLIB
std::vector<uint8_t> gunzip(const std::string& path, std::span<const uint8_t>, uint64_t) {
    throw LoadError(
        path, "gzip-compressed image, but this build has no zlib (use an uncompressed image)");
}
#else

std::vector<uint8_t> gunzip(const std::string& path, std::span<const uint8_t> compressed,
                            uint64_t limit) {
    z_stream zs{};
    // 16 + MAX_WBITS: expect a gzip wrapper (header and CRC-32 trailer).
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        throw LoadError(path, "zlib initialisation failed");
    struct Guard {
        z_stream* zs;
        ~Guard() { inflateEnd(zs); }
    } guard{&zs};

    std::vector<uint8_t> out;
    zs.next_in = const_cast<Bytef*>(compressed.data());
    zs.avail_in = static_cast<uInt>(compressed.size());
    constexpr size_t kChunk = 1 << 20;
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        if (out.size() >= limit)
            throw LoadError(path, fmt::format("gzip payload decompresses to more than {} bytes "
                                              "(larger than guest RAM)",
                                              limit));
        size_t old = out.size();
        size_t grow = static_cast<size_t>(std::min<uint64_t>(kChunk, limit - old));
        out.resize(old + grow);
        zs.next_out = out.data() + old;
        zs.avail_out = static_cast<uInt>(grow);
        rc = inflate(&zs, Z_NO_FLUSH);
        out.resize(old + (grow - zs.avail_out));
        if (rc == Z_STREAM_END) break;
        if (rc == Z_BUF_ERROR && zs.avail_in == 0) throw LoadError(path, "truncated gzip payload");
        if (rc != Z_OK)
            throw LoadError(
                path, fmt::format("corrupt gzip payload ({})", zs.msg ? zs.msg : "zlib error"));
    }
    return out;
}

#endif

} // namespace vmc::vmm::loader
