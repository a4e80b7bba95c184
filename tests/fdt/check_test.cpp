// The blob check used before any FDT is read: a well-formed tree passes, and
// each kind of corruption is refused both by the structural check (used with
// libfdt copies that lack fdt_check_full) and by check_blob.
#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include <libfdt.h>

#include "fdt/check.hpp"

namespace {

std::vector<uint8_t> small_tree() {
    std::vector<uint8_t> blob(1024);
    void* fdt = blob.data();
    REQUIRE(fdt_create(fdt, static_cast<int>(blob.size())) == 0);
    REQUIRE(fdt_finish_reservemap(fdt) == 0);
    REQUIRE(fdt_begin_node(fdt, "") == 0);
    REQUIRE(fdt_property_u32(fdt, "#address-cells", 1) == 0);
    REQUIRE(fdt_begin_node(fdt, "cpus") == 0);
    REQUIRE(fdt_property_string(fdt, "status", "okay") == 0);
    REQUIRE(fdt_end_node(fdt) == 0);
    REQUIRE(fdt_end_node(fdt) == 0);
    REQUIRE(fdt_finish(fdt) == 0);
    blob.resize(fdt_totalsize(fdt));
    return blob;
}

// Absolute offset (in the blob) of the n-th structure tag equal to `tag`.
size_t tag_position(const std::vector<uint8_t>& blob, uint32_t tag, int n) {
    int offset = 0;
    for (;;) {
        int next = 0;
        const uint32_t t = fdt_next_tag(blob.data(), offset, &next);
        if (t == tag && n-- == 0) return fdt_off_dt_struct(blob.data()) + offset;
        REQUIRE(t != FDT_END);
        offset = next;
    }
}

void put_be32(std::vector<uint8_t>& blob, size_t at, uint32_t value) {
    const fdt32_t be = cpu_to_fdt32(value);
    std::memcpy(blob.data() + at, &be, sizeof be);
}

void check_refused(const std::vector<uint8_t>& blob, size_t size) {
    CHECK(vmc::fdt::structural_check(blob.data(), size) < 0);
    CHECK(vmc::fdt::check_blob(blob.data(), size) < 0);
}

} // namespace

TEST_CASE("a well-formed tree passes the blob check", "[fdt][check]") {
    const auto blob = small_tree();
    CHECK(vmc::fdt::structural_check(blob.data(), blob.size()) == 0);
    CHECK(vmc::fdt::check_blob(blob.data(), blob.size()) == 0);
}

TEST_CASE("corrupt trees fail the blob check", "[fdt][check]") {
    auto blob = small_tree();
    SECTION("buffer shorter than the header's total size") {
        check_refused(blob, blob.size() - 4);
    }
    SECTION("buffer shorter than a header") {
        check_refused(blob, 16);
    }
    SECTION("bad magic") {
        put_be32(blob, 0, 0xDEADBEEF);
        check_refused(blob, blob.size());
    }
    SECTION("unknown structure tag") {
        put_be32(blob, tag_position(blob, FDT_PROP, 1), 0x0000000A);
        check_refused(blob, blob.size());
    }
    SECTION("property name outside the strings block") {
        const size_t prop = tag_position(blob, FDT_PROP, 0);
        put_be32(blob, prop + 8, fdt_size_dt_strings(blob.data()) + 16); // nameoff
        check_refused(blob, blob.size());
    }
    SECTION("a node left open at the end") {
        put_be32(blob, tag_position(blob, FDT_END_NODE, 1), FDT_NOP);
        check_refused(blob, blob.size());
    }
    SECTION("a node's opening tag lost") {
        // The child's name is then read as structure tags.
        put_be32(blob, tag_position(blob, FDT_BEGIN_NODE, 1), FDT_NOP);
        check_refused(blob, blob.size());
    }
    SECTION("a second root node") {
        // Insert BEGIN_NODE "" END_NODE between the root's END_NODE and END
        // (the strings block follows the structure block and moves along).
        const size_t end = tag_position(blob, FDT_END, 0);
        const uint32_t extra = 12;
        blob.insert(blob.begin() + static_cast<std::ptrdiff_t>(end), extra, 0);
        put_be32(blob, end, FDT_BEGIN_NODE);
        put_be32(blob, end + 4, 0); // empty name with its padding
        put_be32(blob, end + 8, FDT_END_NODE);
        const uint32_t struct_size = fdt_size_dt_struct(blob.data());
        const uint32_t strings_at = fdt_off_dt_strings(blob.data());
        const uint32_t total = fdt_totalsize(blob.data());
        put_be32(blob, offsetof(fdt_header, size_dt_struct), struct_size + extra);
        put_be32(blob, offsetof(fdt_header, off_dt_strings), strings_at + extra);
        put_be32(blob, offsetof(fdt_header, totalsize), total + extra);
        REQUIRE(fdt_check_header(blob.data()) == 0);
        check_refused(blob, blob.size());
    }
}
