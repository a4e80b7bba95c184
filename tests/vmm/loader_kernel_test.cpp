// Kernel image decoding: ELF, uImage, raw, and every malformed case.
#include <catch2/catch.hpp>

#include "loader_images.hpp"
#include "vmm/loader/kernel.hpp"
#include "vmm/loader/load_error.hpp"

using namespace loader_test;
using vmc::vmm::loader::KernelFormat;
using vmc::vmm::loader::LoadError;
using vmc::vmm::loader::read_kernel;

namespace {
constexpr uint64_t kRam = 256ull << 20;

std::vector<uint8_t> bytes_of(std::span<const uint8_t> data) {
    return {data.begin(), data.end()};
}

// Matches when the LoadError message names the file and contains `what`.
void require_error(const std::string& path, const std::string& format, const std::string& what,
                   uint64_t limit = kRam) {
    try {
        read_kernel(path, format, 0, limit);
        FAIL("expected a LoadError containing '" << what << "'");
    } catch (const LoadError& e) {
        std::string msg = e.what();
        INFO(msg);
        CHECK(msg.rfind(path + ": ", 0) == 0);
        CHECK(msg.find(what) != std::string::npos);
    }
}
} // namespace

TEST_CASE("ELF32 vmlinux-style image loads at p_paddr with the entry moved to physical") {
    ScratchDir dir;
    auto text = pattern(0x300, 1);
    auto path = dir.write("vmlinux", make_elf(false, 0xc0000010, {{0xc0000000, 0, text, 0x1000}}));

    auto k = read_kernel(path, "auto", 0, kRam);

    CHECK(k.format == KernelFormat::Elf);
    CHECK(k.entry == 0x10);
    REQUIRE(k.segments.size() == 1);
    CHECK(k.segments[0].address == 0);
    CHECK(bytes_of(k.segments[0].data) == text);
    CHECK(k.segments[0].mem_size == 0x1000);
    CHECK(k.load_address == 0);
    CHECK(k.payload_size == 0x1000);
    CHECK(k.end() == 0x1000);
}

TEST_CASE("ELF64 image with two segments is sorted and sized by the sum of memsz") {
    ScratchDir dir;
    auto path = dir.write("k64", make_elf(true, 0x200000,
                                          {{0x300000, 0x300000, pattern(16, 2), 0x100, 6},
                                           {0x200000, 0x200000, pattern(32, 3), 0x40}}));

    auto k = read_kernel(path, "elf", 0, kRam);

    CHECK(k.entry == 0x200000); // vaddr == paddr: entry unchanged
    REQUIRE(k.segments.size() == 2);
    CHECK(k.segments[0].address == 0x200000);
    CHECK(k.segments[1].address == 0x300000);
    CHECK(k.load_address == 0x200000);
    CHECK(k.payload_size == 0x140);
    CHECK(k.end() == 0x300100);
}

TEST_CASE("ELF program headers that are not PT_LOAD or are empty are skipped") {
    ScratchDir dir;
    Segment note{0, 0, pattern(8, 4), 8};
    note.type = 4; // PT_NOTE
    Segment empty{0x5000, 0x5000, {}, 0};
    auto path = dir.write("k", make_elf(false, 0, {note, {0, 0, pattern(8, 5), 8}, empty}));

    auto k = read_kernel(path, "auto", 0, kRam);

    CHECK(k.segments.size() == 1);
}

TEST_CASE("malformed ELF files are rejected with the file and the problem named") {
    ScratchDir dir;
    auto good = make_elf(false, 0, {{0, 0, pattern(64, 6), 64}});

    SECTION("truncated header") {
        require_error(dir.write("k", Bytes(good.begin(), good.begin() + 30)), "auto",
                      "truncated ELF header");
    }
    SECTION("truncated program header table") {
        require_error(dir.write("k", Bytes(good.begin(), good.begin() + 60)), "auto",
                      "truncated ELF program header table");
    }
    SECTION("segment data past the end of the file") {
        require_error(dir.write("k", Bytes(good.begin(), good.end() - 1)), "auto",
                      "runs past the end");
    }
    SECTION("little-endian") {
        auto b = good;
        b[5] = 1;
        require_error(dir.write("k", b), "auto", "little-endian");
    }
    SECTION("not PowerPC") {
        auto b = good;
        put_be(b, 18, 62, 2); // x86-64
        require_error(dir.write("k", b), "auto", "not PowerPC");
    }
    SECTION("filesz larger than memsz") {
        require_error(dir.write("k", make_elf(false, 0, {{0, 0, pattern(64, 6), 32}})), "auto",
                      "exceeds memory size");
    }
    SECTION("overlapping segments") {
        require_error(dir.write("k", make_elf(false, 0,
                                              {{0, 0, pattern(64, 6), 0x100},
                                               {0x80, 0x80, pattern(64, 7), 0x100}})),
                      "auto", "segments overlap");
    }
    SECTION("no loadable segment") {
        Segment note{0, 0, pattern(8, 4), 8};
        note.type = 4;
        require_error(dir.write("k", make_elf(false, 0, {note})), "auto", "no loadable segments");
    }
    SECTION("explicit elf format on a non-ELF file") {
        require_error(dir.write("k", pattern(100, 1)), "elf", "not an ELF file");
    }
}

TEST_CASE("uncompressed uImage loads at its load address and starts at its entry") {
    ScratchDir dir;
    auto payload = pattern(1000, 9);
    auto path = dir.write("uImage", make_uimage(payload, {.load = 0x10000, .entry = 0x10040}));

    auto k = read_kernel(path, "auto", 0, kRam);

    CHECK(k.format == KernelFormat::UImage);
    CHECK(k.entry == 0x10040);
    REQUIRE(k.segments.size() == 1);
    CHECK(k.segments[0].address == 0x10000);
    CHECK(bytes_of(k.segments[0].data) == payload);
    CHECK(k.payload_size == 1000);
}

#ifdef VMC_NO_ZLIB
TEST_CASE("a build without zlib refuses gzip uImages by name") {
    ScratchDir dir;
    const Bytes not_inflated = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    require_error(dir.write("u", make_uimage(not_inflated, {.comp = 1})), "auto", "no zlib");
}
#else
TEST_CASE("gzip uImage is decompressed and sized by its decompressed payload") {
    ScratchDir dir;
    auto payload = pattern(300000, 11);
    auto path = dir.write("uImage", make_uimage(gzip(payload), {.comp = 1}));

    auto k = read_kernel(path, "uimage", 0, kRam);

    REQUIRE(k.segments.size() == 1);
    CHECK(bytes_of(k.segments[0].data) == payload);
    CHECK(k.payload_size == payload.size());
}
#endif

TEST_CASE("malformed uImages are rejected with the file and the problem named") {
    ScratchDir dir;
    auto payload = pattern(4096, 12);
    auto good = make_uimage(payload, {});

    SECTION("truncated header") {
        require_error(dir.write("u", Bytes(good.begin(), good.begin() + 40)), "auto",
                      "truncated uImage header");
    }
    SECTION("bad header CRC") {
        auto b = good;
        b[20] ^= 1; // entry point changed, header CRC left as is
        require_error(dir.write("u", b), "auto", "header CRC mismatch");
    }
    SECTION("bad data CRC") {
        auto b = good;
        b[100] ^= 0xff;
        require_error(dir.write("u", b), "auto", "data CRC mismatch");
    }
    SECTION("truncated data") {
        require_error(dir.write("u", Bytes(good.begin(), good.end() - 10)), "auto",
                      "truncated uImage");
    }
#ifndef VMC_NO_ZLIB
    SECTION("truncated gzip payload") {
        auto gz = gzip(payload);
        gz.resize(gz.size() / 2);
        require_error(dir.write("u", make_uimage(gz, {.comp = 1})), "auto", "truncated gzip");
    }
    SECTION("corrupt gzip payload") {
        auto gz = gzip(payload);
        gz[0] = 0; // gzip magic broken
        require_error(dir.write("u", make_uimage(gz, {.comp = 1})), "auto", "corrupt gzip");
    }
    SECTION("gzip payload larger than RAM") {
        require_error(dir.write("u", make_uimage(gzip(Bytes(1 << 20, 0)), {.comp = 1})), "auto",
                      "larger than guest RAM", 64 << 10);
    }
#endif
    SECTION("unsupported compression") {
        require_error(dir.write("u", make_uimage(payload, {.comp = 2})), "auto", "compression 2");
    }
    SECTION("wrong architecture") {
        require_error(dir.write("u", make_uimage(payload, {.arch = 2})), "auto", "not PowerPC");
    }
    SECTION("not a kernel") {
        require_error(dir.write("u", make_uimage(payload, {.type = 3})), "auto", "not a kernel");
    }
}

TEST_CASE("raw binaries load at the given address and start there") {
    ScratchDir dir;
    auto bytes = pattern(512, 13);
    auto path = dir.write("hello.bin", bytes);

    auto k = read_kernel(path, "raw", 0x100000, kRam);

    CHECK(k.format == KernelFormat::Raw);
    CHECK(k.entry == 0x100000);
    CHECK(k.segments.at(0).address == 0x100000);
    CHECK(bytes_of(k.segments.at(0).data) == bytes);
}

TEST_CASE("files that are no kernel at all are rejected") {
    ScratchDir dir;
    SECTION("unknown magic under auto") {
        require_error(dir.write("k", pattern(64, 1)), "auto", "unknown magic");
    }
    SECTION("zero-length file") {
        require_error(dir.write("k", {}), "auto", "empty");
    }
    SECTION("missing file") {
        require_error(dir.write("k", {}) + ".missing", "auto", "No such file");
    }
    SECTION("a directory") {
        require_error(std::filesystem::temp_directory_path().string(), "auto",
                      "not a regular file");
    }
    SECTION("file larger than RAM") {
        require_error(dir.write("k", pattern(8192, 1)), "raw", "larger than guest RAM", 4096);
    }
    SECTION("unknown format name") {
        require_error(dir.write("k", pattern(64, 1)), "zimage", "unknown kernel format");
    }
}
