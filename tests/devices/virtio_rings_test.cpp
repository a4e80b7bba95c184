// Malformed rings and descriptors: each is refused with DEVICE_NEEDS_RESET
// and a configuration interrupt, nothing outside guest RAM is touched, and
// a reset brings the device back. Driven against virtio-rng, the simplest
// device (one queue of device-writable buffers).
#include <catch2/catch.hpp>

#include "devices/registry.hpp"
#include "virtio_driver.hpp"

using namespace vmc;
using namespace vmc::testing;

namespace {
struct Rng {
    model::Machine machine = machine_with("virtio-rng", nlohmann::json::object());
    vmm::Vm vm{machine, {}};
    Line line;
    std::unique_ptr<vmm::Device> dev =
        devices::find_device_kind("virtio-rng")->create(machine.devices[0], vm);
    Driver drv{vm, *dev};
    Rng() { vm.irq.connect(&line); }

    void expect_broken() {
        CHECK(drv.needs_reset());
        CHECK((drv.readl(0x060) & 2) == 2);
        CHECK(line.level);
        CHECK(drv.take_used(0).empty());
    }
    // After a reset the same device serves a good request again.
    void expect_recovers() {
        drv.init(1);
        drv.add(0, {{kData, 32, true}});
        drv.kick(0);
        auto used = drv.take_used(0);
        REQUIRE(used.size() == 1);
        CHECK(used[0].len == 32);
    }
};
} // namespace

TEST_CASE("a descriptor loop marks the device broken instead of hanging") {
    Rng r;
    r.drv.init(1);
    r.drv.descriptor(0, 0, kData, 16, kWrite | kNext, 1);
    r.drv.descriptor(0, 1, kData, 16, kWrite | kNext, 0); // 0 -> 1 -> 0 ...
    r.drv.make_available(0, 0);
    r.drv.kick(0);
    r.expect_broken();
    r.expect_recovers();
}

TEST_CASE("a chain naming a descriptor beyond the queue is refused") {
    Rng r;
    r.drv.init(1);
    r.drv.descriptor(0, 0, kData, 16, kWrite | kNext, 8);
    r.drv.make_available(0, 0);
    r.drv.kick(0);
    r.expect_broken();
}

TEST_CASE("an available ring head beyond the queue is refused") {
    Rng r;
    r.drv.init(1);
    r.drv.make_available(0, 200);
    r.drv.kick(0);
    r.expect_broken();
}

TEST_CASE("an available index that runs ahead of the ring is refused") {
    Rng r;
    r.drv.init(1);
    r.drv.descriptor(0, 0, kData, 16, kWrite, 0);
    r.drv.put(r.drv.queues[0].avail() + 2, 9, 2); // 9 entries on a ring of 8
    r.drv.kick(0);
    r.expect_broken();
}

TEST_CASE("buffers outside guest RAM or of huge length are refused") {
    auto [address, length] = GENERATE(table<uint64_t, uint32_t>({
        {kRamSize - 8, 64},             // runs off the end of RAM
        {kRamSize, 1},                  // starts past it
        {0xffff'ffff'ffff'fff0ull, 32}, // wraps around the address space
        {kData, 0xffffffffu},           // longer than RAM
    }));
    Rng r;
    r.drv.init(1);
    r.drv.add(0, {{address, length, true}});
    r.drv.kick(0);
    r.expect_broken();
    r.expect_recovers();
}

TEST_CASE("a device-readable descriptor after a device-writable one is refused") {
    Rng r;
    r.drv.init(1);
    r.drv.add(0, {{kData, 16, true}, {kData + 16, 16, false}});
    r.drv.kick(0);
    r.expect_broken();
}

TEST_CASE("indirect descriptors without VIRTIO_F_INDIRECT_DESC are refused") {
    Rng r;
    r.drv.init(1);
    r.drv.descriptor(0, 0, kData + 0x1000, 16, kIndirect, 0);
    r.drv.descriptor(0, 1, kData, 16, kWrite, 0);
    r.drv.make_available(0, 0);
    r.drv.kick(0);
    r.expect_broken();
}

TEST_CASE("indirect descriptor tables are followed when negotiated") {
    Rng r;
    r.drv.init(1, 8, kVersion1 | kIndirectDesc);
    uint64_t table = kData + 0x1000;
    auto entry = [&](unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next) {
        r.drv.put(table + 16 * i, addr, 8);
        r.drv.put(table + 16 * i + 8, len, 4);
        r.drv.put(table + 16 * i + 12, flags, 2);
        r.drv.put(table + 16 * i + 14, next, 2);
    };
    entry(0, kData, 8, kWrite | kNext, 1);
    entry(1, kData + 0x100, 24, kWrite, 0);
    r.drv.descriptor(0, 0, table, 32, kIndirect, 0);
    r.drv.make_available(0, 0);
    r.drv.kick(0);
    auto used = r.drv.take_used(0);
    REQUIRE(used.size() == 1);
    CHECK(used[0].len == 32);
    CHECK_FALSE(r.drv.needs_reset());

    SECTION("a loop inside the table is refused") {
        entry(1, kData + 0x100, 24, kWrite | kNext, 0);
        r.drv.make_available(0, 0);
        r.drv.kick(0);
        r.expect_broken();
    }
    SECTION("a nested table is refused") {
        entry(1, table, 32, kIndirect, 0);
        r.drv.make_available(0, 0);
        r.drv.kick(0);
        r.expect_broken();
    }
    SECTION("a table whose length is not whole descriptors is refused") {
        r.drv.descriptor(0, 0, table, 20, kIndirect, 0);
        r.drv.make_available(0, 0);
        r.drv.kick(0);
        r.expect_broken();
    }
    SECTION("a table outside RAM is refused") {
        r.drv.descriptor(0, 0, kRamSize - 16, 32, kIndirect, 0);
        r.drv.make_available(0, 0);
        r.drv.kick(0);
        r.expect_broken();
    }
}

TEST_CASE("a zero-sized queue is refused at QueueReady") {
    Rng r;
    REQUIRE(r.drv.negotiate(kVersion1));
    r.drv.writel(0x030, 0);
    r.drv.writel(0x038, 0);
    r.drv.writel(0x044, 1);
    CHECK(r.drv.readl(0x044) == 0);
    CHECK(r.drv.needs_reset());
    r.expect_recovers();
}

TEST_CASE("a reset with requests in flight drops them and the device starts over") {
    Rng r;
    r.drv.init(1);
    r.drv.add(0, {{kData, 16, true}});
    r.drv.add(0, {{kData + 16, 16, true}});
    r.drv.reset(); // before the kick: nothing may complete afterwards
    r.drv.kick(0);
    CHECK(r.drv.get(r.drv.queues[0].used() + 2, 2) == 0);
    r.expect_recovers();
}

TEST_CASE("a used ring moved outside RAM after setup cannot be reached") {
    // The layout registers are frozen while the queue is live, so the used
    // ring stays where it was checked.
    Rng r;
    r.drv.init(1);
    r.drv.writel(0x030, 0);
    r.drv.writel(0x0a0, 0);
    r.drv.writel(0x0a4, 0xf);
    r.drv.add(0, {{kData, 16, true}});
    r.drv.kick(0);
    CHECK(r.drv.take_used(0).size() == 1);
}
