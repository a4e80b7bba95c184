// Builders for small kernel images written byte by byte, and a scratch
// directory for them, shared by the loader and boot-plan tests.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#ifndef VMC_NO_ZLIB
#include <zlib.h>
#endif

namespace loader_test {

using Bytes = std::vector<uint8_t>;

inline void put_be(Bytes& b, size_t at, uint64_t v, unsigned width) {
    if (b.size() < at + width) b.resize(at + width);
    for (unsigned i = 0; i < width; ++i)
        b[at + width - 1 - i] = static_cast<uint8_t>(v >> (8 * i));
}

struct Segment {
    uint64_t vaddr, paddr;
    Bytes data;
    uint64_t memsz;
    uint32_t flags = 5; // R X
    uint32_t type = 1;  // PT_LOAD
};

// A big-endian PowerPC ELF executable (class 32 or 64) with the given segments.
inline Bytes make_elf(bool is64, uint64_t entry, const std::vector<Segment>& segs) {
    const unsigned word = is64 ? 8 : 4;
    const size_t ehsize = is64 ? 64 : 52, phentsize = is64 ? 56 : 32;
    Bytes b(ehsize, 0);
    b[0] = 0x7f, b[1] = 'E', b[2] = 'L', b[3] = 'F';
    b[4] = is64 ? 2 : 1; // class
    b[5] = 2;            // big-endian
    b[6] = 1;            // version
    put_be(b, 16, 2, 2); // ET_EXEC
    put_be(b, 18, is64 ? 21 : 20, 2);
    put_be(b, 20, 1, 4);
    put_be(b, 24, entry, word);
    put_be(b, is64 ? 32 : 28, ehsize, word); // e_phoff
    put_be(b, is64 ? 52 : 40, ehsize, 2);
    put_be(b, is64 ? 54 : 42, phentsize, 2);
    put_be(b, is64 ? 56 : 44, segs.size(), 2);
    size_t data_at = ehsize + phentsize * segs.size();
    b.resize(data_at, 0);
    for (size_t i = 0; i < segs.size(); ++i) {
        const auto& s = segs[i];
        size_t ph = ehsize + i * phentsize;
        put_be(b, ph, s.type, 4);
        if (is64) {
            put_be(b, ph + 4, s.flags, 4);
            put_be(b, ph + 8, data_at, 8);
            put_be(b, ph + 16, s.vaddr, 8);
            put_be(b, ph + 24, s.paddr, 8);
            put_be(b, ph + 32, s.data.size(), 8);
            put_be(b, ph + 40, s.memsz, 8);
        } else {
            put_be(b, ph + 4, data_at, 4);
            put_be(b, ph + 8, s.vaddr, 4);
            put_be(b, ph + 12, s.paddr, 4);
            put_be(b, ph + 16, s.data.size(), 4);
            put_be(b, ph + 20, s.memsz, 4);
            put_be(b, ph + 24, s.flags, 4);
        }
        b.insert(b.end(), s.data.begin(), s.data.end());
        data_at += s.data.size();
    }
    return b;
}

inline uint32_t crc(const Bytes& b, size_t from = 0, size_t len = SIZE_MAX) {
    len = std::min(len, b.size() - from);
#ifdef VMC_NO_ZLIB
    // Builds without zlib (the powerpc cross build): bitwise CRC-32 (IEEE 802.3, reflected).
    uint32_t c = 0xffffffff;
    for (size_t i = from; i < from + len; ++i) {
        c ^= b[i];
        for (int bit = 0; bit < 8; ++bit)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
    return ~c;
#else
    return static_cast<uint32_t>(
        crc32(crc32(0, Z_NULL, 0), b.data() + from, static_cast<uInt>(len)));
#endif
}

#ifndef VMC_NO_ZLIB
inline Bytes gzip(const Bytes& in) {
    z_stream zs{};
    deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    Bytes out(deflateBound(&zs, in.size()) + 64);
    zs.next_in = const_cast<Bytef*>(in.data());
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = out.data();
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}
#endif

struct UImageFields {
    uint32_t load = 0, entry = 0;
    uint8_t os = 5, arch = 7, type = 2, comp = 0; // Linux, PowerPC, kernel, none
};

// A legacy uImage around `payload` (already compressed when comp says so),
// with correct CRCs.
inline Bytes make_uimage(const Bytes& payload, const UImageFields& f) {
    Bytes b(64, 0);
    put_be(b, 0, 0x27051956, 4);
    put_be(b, 12, payload.size(), 4);
    put_be(b, 16, f.load, 4);
    put_be(b, 20, f.entry, 4);
    b[28] = f.os, b[29] = f.arch, b[30] = f.type, b[31] = f.comp;
    b.insert(b.end(), payload.begin(), payload.end());
    put_be(b, 24, crc(b, 64), 4);
    put_be(b, 4, crc(b, 0, 64), 4);
    return b;
}

inline Bytes pattern(size_t n, uint8_t seed) {
    Bytes b(n);
    for (size_t i = 0; i < n; ++i)
        b[i] = static_cast<uint8_t>(seed + i * 7);
    return b;
}

class ScratchDir {
public:
    ScratchDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "vmc-loader-XXXXXX").string();
        path_ = mkdtemp(tmpl.data());
    }
    ~ScratchDir() { std::filesystem::remove_all(path_); }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    std::string write(const std::string& name, const Bytes& bytes) const {
        std::string p = (std::filesystem::path(path_) / name).string();
        std::ofstream(p, std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()),
                   static_cast<std::streamsize>(bytes.size()));
        return p;
    }

private:
    std::string path_;
};

} // namespace loader_test
