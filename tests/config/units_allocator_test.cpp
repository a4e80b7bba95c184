#include <catch2/catch.hpp>

#include "config/allocator.hpp"
#include "config/profiles.hpp"
#include "config/schema.hpp"
#include "config/units.hpp"

using namespace vmc::config;

TEST_CASE("sizes accept binary suffixes and plain numbers") {
    CHECK(parse_size_text("256M") == 256ull << 20);
    CHECK(parse_size_text("1G") == 1ull << 30);
    CHECK(parse_size_text("4K") == 4096);
    CHECK(parse_size_text("4096") == 4096);
    CHECK(size_value(nlohmann::json(0x10000000)) == 0x10000000);
    CHECK_FALSE(parse_size_text("256MB"));
    CHECK_FALSE(parse_size_text("0x100"));
    CHECK_FALSE(parse_size_text("99999999999T"));
    CHECK_FALSE(size_value(nlohmann::json(-1)));
    CHECK(format_size(256ull << 20) == "256M");
    CHECK(format_size(0x1234) == "0x1234");
}

TEST_CASE("the slot allocator skips reserved slots, in request order") {
    SlotAllocator slots(0xf00000000, 0x4000, 0x1000);
    slots.reserve(0xf00001000, 0x200);
    CHECK(slots.allocate(0x200) == 0xf00000000ull);
    CHECK(slots.allocate(0x200) == 0xf00002000ull);
    CHECK(slots.allocate(0x1800) == std::nullopt); // two slots, only one left
    CHECK(slots.allocate(0x200) == 0xf00003000ull);
    CHECK(slots.allocate(0x200) == std::nullopt);
}

TEST_CASE("the irq allocator hands out free sources of its pool") {
    IrqAllocator irqs(5, 7);
    irqs.reserve(6);
    CHECK(irqs.allocate() == 5u);
    CHECK(irqs.allocate() == 7u);
    CHECK(irqs.allocate() == std::nullopt);
}

TEST_CASE("board references") {
    CHECK(parse_board_ref("ppce500@1")->version == 1u);
    CHECK_FALSE(parse_board_ref("ppce500")->version);
    CHECK_FALSE(parse_board_ref("ppce500@0"));
    CHECK_FALSE(parse_board_ref("Bad Name"));
}

TEST_CASE("did-you-mean picks close keys only") {
    CHECK(closest_key("memroy", {"memory", "name", "cpus"}) == "memory");
    CHECK(closest_key("kernal", {"kernel", "initrd"}) == "kernel");
    CHECK(closest_key("zzzz", {"memory", "cpus"}).empty());
}

TEST_CASE("the boards list has the ppce500 profile with its description") {
    auto boards = list_boards(VMC_SOURCE_DIR);
    REQUIRE_FALSE(boards.empty());
    CHECK(boards[0].name == "ppce500");
    CHECK(boards[0].version == 1);
    CHECK_FALSE(boards[0].description.empty());
}
