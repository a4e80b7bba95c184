#include <catch2/catch.hpp>

#include "vmm/mmio.hpp"

using vmc::vmm::MmioBus;
using vmc::vmm::MmioHandler;

namespace {
struct Recorder : MmioHandler {
    uint64_t last_offset = ~0ull, last_value = 0;
    unsigned last_size = 0;
    uint64_t mmio_read(uint64_t offset, unsigned size) override {
        last_offset = offset;
        last_size = size;
        return 0x1234;
    }
    void mmio_write(uint64_t offset, uint64_t value, unsigned size) override {
        last_offset = offset;
        last_value = value;
        last_size = size;
    }
};
} // namespace

TEST_CASE("MMIO bus dispatches by address with device-relative offsets") {
    MmioBus bus;
    Recorder a, b;
    bus.add(0xf'e000'4500, 0x100, &a, "serial0");
    bus.add(0xf'e004'0000, 0x40000, &b, "mpic");

    uint64_t v = 0;
    REQUIRE(bus.read(0xf'e000'4505, 1, v));
    CHECK(v == 0x1234);
    CHECK(a.last_offset == 5);
    REQUIRE(bus.write(0xf'e004'0020, 4, 0xdead));
    CHECK(b.last_offset == 0x20);
    CHECK(b.last_value == 0xdead);
}

TEST_CASE("MMIO bus reports unmapped and straddling accesses") {
    MmioBus bus;
    Recorder a;
    bus.add(0x1000, 0x100, &a, "dev");
    uint64_t v = 0;
    CHECK_FALSE(bus.read(0xfff, 1, v));
    CHECK_FALSE(bus.read(0x1100, 4, v));
    CHECK_FALSE(bus.read(0x10fe, 4, v)); // crosses the end of the region
    CHECK(bus.read(0x10fc, 4, v));
}

TEST_CASE("MMIO bus refuses overlapping regions and names both") {
    MmioBus bus;
    Recorder a, b;
    bus.add(0x1000, 0x100, &a, "first");
    REQUIRE_THROWS_WITH(bus.add(0x10f0, 0x100, &b, "second"),
                        Catch::Contains("second") && Catch::Contains("first"));
    REQUIRE_THROWS(bus.add(0x0f00, 0x101, &b, "below"));
    CHECK_NOTHROW(bus.add(0x1100, 0x100, &b, "adjacent"));
}
