// fdt::Writer: exact bytes of small blobs, buffer growth, refused misuse.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "fdt/check.hpp"
#include "fdt/writer.hpp"

extern "C" {
#include <libfdt.h>
}

using vmc::fdt::Writer;

namespace {

// Builds an expected blob from big-endian 32-bit words and raw bytes.
struct Bytes {
    std::vector<uint8_t> data;
    Bytes& words(std::initializer_list<uint32_t> ws) {
        for (uint32_t w : ws)
            for (int shift = 24; shift >= 0; shift -= 8)
                data.push_back(static_cast<uint8_t>(w >> shift));
        return *this;
    }
    Bytes& text(const char* s, size_t n) {
        data.insert(data.end(), s, s + n);
        return *this;
    }
};

} // namespace

TEST_CASE("writer: a small tree is laid out byte for byte as the flattened format says") {
    Writer w;
    w.add_reservation(0x1000, 0x2000);
    {
        auto root = w.begin_node("");
        w.prop_strings("compatible", std::vector<std::string>{"a", "b"});
        w.prop_u32("#address-cells", 1);
        auto child = w.begin_node("n@10");
        w.prop_cells("reg", {0x10, 0x4});
        w.prop_empty("x-empty");
        w.prop_u32("#address-cells", 2); // a name used twice is stored once
    }
    std::vector<uint8_t> blob = w.finish();

    // Strings block: the sequential writer stores each new name in front of
    // the earlier ones, so the first name used comes last.
    const char strings[] =
        "x-empty\0reg\0#address-cells\0compatible"; // 38 bytes with the final NUL
    const uint32_t off_x_empty = 0, off_reg = 8, off_cells = 12, off_compatible = 27;
    const uint32_t struct_size = 112, strings_size = sizeof(strings);
    // The 40-byte header is padded to the 16-byte size of a reservation entry;
    // then one reservation and the terminating empty one.
    const uint32_t off_rsvmap = 48;
    const uint32_t off_struct = off_rsvmap + 2 * 16;
    const uint32_t off_strings = off_struct + struct_size;

    Bytes want;
    want.words({0xd00dfeed, off_strings + strings_size, off_struct, off_strings, off_rsvmap, 17, 16,
                0, strings_size, struct_size});
    want.words({0, 0});                             // header padding
    want.words({0, 0x1000, 0, 0x2000, 0, 0, 0, 0}); // reservation map
    want.words({1, 0});                             // FDT_BEGIN_NODE ""
    want.words({3, 4, off_compatible, 0x61006200}); // compatible = "a", "b"
    want.words({3, 4, off_cells, 1});
    want.words({1, 0x6e403130, 0}); // FDT_BEGIN_NODE "n@10", padded to a cell boundary
    want.words({3, 8, off_reg, 0x10, 0x4});
    want.words({3, 0, off_x_empty});
    want.words({3, 4, off_cells, 2});
    want.words({2, 2, 9}); // two FDT_END_NODE, FDT_END
    want.text(strings, sizeof(strings));

    REQUIRE(want.data.size() == off_strings + strings_size);
    CHECK(blob == want.data);
    CHECK(vmc::fdt::check_blob(blob.data(), blob.size()) == 0);
}

TEST_CASE("writer: typed properties encode big-endian cells and NUL-terminated strings") {
    Writer w;
    {
        auto root = w.begin_node("");
        w.prop_u64("big", 0x0000000f'e0000000ull);
        w.prop_string("s", "ab");
        w.prop_bytes("raw", std::vector<uint8_t>{1, 2, 3});
    }
    std::vector<uint8_t> blob = w.finish();
    int len = 0;
    auto* big = static_cast<const uint8_t*>(fdt_getprop(blob.data(), 0, "big", &len));
    REQUIRE(len == 8);
    CHECK(std::vector<uint8_t>(big, big + 8) == std::vector<uint8_t>{0, 0, 0, 0xf, 0xe0, 0, 0, 0});
    auto* s = static_cast<const char*>(fdt_getprop(blob.data(), 0, "s", &len));
    REQUIRE(len == 3);
    CHECK(std::memcmp(s, "ab", 3) == 0);
    auto* raw = static_cast<const uint8_t*>(fdt_getprop(blob.data(), 0, "raw", &len));
    REQUIRE(len == 3);
    CHECK(raw[2] == 3);
    CHECK(fdt_num_mem_rsv(blob.data()) == 0);
}

TEST_CASE("writer: the buffer grows past its first allocation") {
    Writer w;
    std::vector<uint8_t> payload(100'000);
    for (size_t i = 0; i < payload.size(); ++i)
        payload[i] = static_cast<uint8_t>(i * 7);
    {
        auto root = w.begin_node("");
        w.prop_bytes("payload", payload);
        for (int i = 0; i < 50; ++i) {
            auto node = w.begin_node("node@" + std::to_string(i));
            w.prop_u32("index-" + std::to_string(i), static_cast<uint32_t>(i));
        }
    }
    std::vector<uint8_t> blob = w.finish();
    REQUIRE(vmc::fdt::check_blob(blob.data(), blob.size()) == 0);
    CHECK(blob.size() == fdt_totalsize(blob.data()));
    int len = 0;
    auto* p = static_cast<const uint8_t*>(fdt_getprop(blob.data(), 0, "payload", &len));
    REQUIRE(len == 100'000);
    CHECK(std::vector<uint8_t>(p, p + len) == payload);
    int node = fdt_path_offset(blob.data(), "/node@49");
    REQUIRE(node >= 0);
    CHECK(fdt32_to_cpu(*static_cast<const fdt32_t*>(
              fdt_getprop(blob.data(), node, "index-49", nullptr))) == 49);
}

TEST_CASE("writer: misuse is refused with an exception, not a broken blob") {
    SECTION("property outside any node") {
        Writer w;
        CHECK_THROWS_AS(w.prop_u32("outside", 1), std::logic_error);
    }
    SECTION("reservation after the first node") {
        Writer w;
        auto root = w.begin_node("");
        CHECK_THROWS_AS(w.add_reservation(0, 1), std::logic_error);
    }
    SECTION("finish with a node still open") {
        Writer w;
        auto root = w.begin_node("");
        CHECK_THROWS_AS(w.finish(), std::logic_error);
    }
    SECTION("writing after finish") {
        Writer w;
        { auto root = w.begin_node(""); }
        w.finish();
        CHECK_THROWS_AS(w.begin_node("late"), std::logic_error);
    }
    SECTION("names outside the devicetree character set") {
        Writer w;
        auto root = w.begin_node("");
        CHECK_THROWS_AS(w.prop_u32("", 1), std::invalid_argument);
        CHECK_THROWS_AS(w.prop_u32("a b", 1), std::invalid_argument);
        CHECK_THROWS_AS(w.begin_node(""), std::invalid_argument);
        CHECK_THROWS_AS(w.begin_node("a/b"), std::invalid_argument);
    }
    SECTION("a second root node") {
        Writer w;
        { auto root = w.begin_node(""); }
        CHECK_THROWS_AS(w.begin_node(""), std::logic_error);
    }
    SECTION("a property after a child node") {
        Writer w;
        auto root = w.begin_node("");
        { auto child = w.begin_node("child"); }
        CHECK_THROWS_AS(w.prop_u32("late", 1), std::logic_error);
    }
    SECTION("finish without any node") {
        Writer w;
        CHECK_THROWS_AS(w.finish(), std::logic_error);
    }
}

TEST_CASE("writer: to_cells splits values most significant cell first") {
    CHECK(vmc::fdt::to_cells(0xf'e000'0000ull, 2) == std::vector<uint32_t>{0xf, 0xe0000000u});
    CHECK(vmc::fdt::to_cells(0x4500, 1) == std::vector<uint32_t>{0x4500});
}
