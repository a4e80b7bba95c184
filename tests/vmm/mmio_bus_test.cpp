#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

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

TEST_CASE("MMIO bus shows every access, mapped or not, to its observer") {
    struct Seen {
        std::string region;
        uint64_t addr, value;
        unsigned size;
        bool write;
    };
    struct Watcher : MmioBus::Observer {
        std::vector<Seen> seen;
        void mmio_access(const MmioBus::Region* r, uint64_t addr, unsigned size, uint64_t value,
                         bool write) override {
            seen.push_back({r ? r->name : "-", addr, value, size, write});
        }
    };
    MmioBus bus;
    Recorder serial;
    Watcher watcher;
    bus.add(0xf'e000'4500, 0x100, &serial, "serial0");
    uint64_t v = 0;
    REQUIRE(bus.read(0xf'e000'4505, 1, v)); // before the observer: not seen
    bus.set_observer(&watcher);
    REQUIRE(bus.write(0xf'e000'4500, 1, 0x41));
    REQUIRE(bus.read(0xf'e000'4505, 1, v));
    REQUIRE_FALSE(bus.write(0x1000, 4, 7));
    bus.set_observer(nullptr);
    REQUIRE(bus.write(0xf'e000'4500, 1, 0x42));

    REQUIRE(watcher.seen.size() == 3);
    CHECK(watcher.seen[0].region == "serial0");
    CHECK(watcher.seen[0].write);
    CHECK(watcher.seen[0].value == 0x41);
    CHECK(watcher.seen[1].region == "serial0");
    CHECK_FALSE(watcher.seen[1].write);
    CHECK(watcher.seen[1].value == 0x1234);
    CHECK(watcher.seen[1].addr == 0xf'e000'4505);
    CHECK(watcher.seen[2].region == "-");
    CHECK(watcher.seen[2].size == 4);
}

TEST_CASE("MMIO bus: a block mapped inside a region takes its range, the rest keeps its offsets") {
    MmioBus bus;
    Recorder outer, inner;
    bus.add(0xf'e004'0000, 0x40000, &outer, "mpic");
    bus.add_inside(0xf'e004'1600, 0x200, &inner, "msi");
    uint64_t v = 0;
    REQUIRE(bus.write(0xf'e004'1740, 4, 1));
    CHECK(inner.last_offset == 0x140);
    CHECK(outer.last_offset == ~0ull);
    REQUIRE(bus.read(0xf'e004'15fc, 4, v));
    CHECK(outer.last_offset == 0x15fc);
    REQUIRE(bus.read(0xf'e004'1800, 4, v));
    CHECK(outer.last_offset == 0x1800); // after the block: the outer device's own offset
    REQUIRE(bus.read(0xf'e007'fffc, 4, v));
    CHECK(outer.last_offset == 0x3fffc);
    CHECK(bus.regions().size() == 3);
}

TEST_CASE("MMIO bus: add_inside refuses a range not inside one region") {
    MmioBus bus;
    Recorder outer, inner;
    bus.add(0x1000, 0x1000, &outer, "a");
    CHECK_THROWS_AS(bus.add_inside(0x1f00, 0x200, &inner, "x"), std::invalid_argument);
    CHECK_THROWS_AS(bus.add_inside(0x3000, 0x10, &inner, "x"), std::invalid_argument);
    CHECK_THROWS_AS(bus.add_inside(0x1000, 0, &inner, "x"), std::invalid_argument);
    bus.add_inside(0x1000, 0x1000, &inner, "whole"); // the whole region: nothing left of it
    uint64_t v = 0;
    REQUIRE(bus.read(0x1800, 4, v));
    CHECK(inner.last_offset == 0x800);
    CHECK(bus.regions().size() == 1);
}
