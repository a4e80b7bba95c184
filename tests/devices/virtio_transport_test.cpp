// The virtio-mmio transport: byte order, feature negotiation, the status
// state machine, queue setup checks, interrupts and reset, with a small
// device behind it that echoes each chain's readable bytes into its
// writable ones.
#include <catch2/catch.hpp>

#include <algorithm>

#include "devices/virtio/mmio_transport.hpp"
#include "virtio_driver.hpp"
#include "virtio_echo.hpp"

using namespace vmc;
using namespace vmc::testing;
using devices::virtio::MmioTransport;
using devices::virtio::Transport;

namespace {

struct Fixture {
    model::Machine machine = machine_with("virtio-rng", nlohmann::json::object());
    vmm::Vm vm{machine, {}};
    Line line;
    Echo* echo = nullptr;
    std::unique_ptr<MmioTransport> transport;
    Driver drv;

    explicit Fixture(uint32_t queue_size_max = 64)
        : transport(make(queue_size_max)), drv{vm, *transport} {
        vm.irq.connect(&line);
    }
    std::unique_ptr<MmioTransport> make(uint32_t queue_size_max) {
        auto dev = std::make_unique<Echo>();
        echo = dev.get();
        return std::make_unique<MmioTransport>("echo0", std::move(dev), vm.ram,
                                               vm.irq_line(machine.devices[0]), queue_size_max);
    }
};

} // namespace

TEST_CASE("virtio-mmio registers read as little-endian bytes through every access width") {
    Fixture f;
    // A big-endian load sees the bytes "virt" in memory order.
    CHECK(f.transport->mmio_read(0x000, 4) == 0x76697274);
    CHECK(f.transport->mmio_read(0x000, 1) == 'v');
    CHECK(f.transport->mmio_read(0x003, 1) == 't');
    CHECK(f.transport->mmio_read(0x002, 2) == 0x7274); // "rt"
    CHECK(f.drv.readl(0x000) == 0x74726976);           // what readl() returns
    CHECK(f.drv.readl(0x004) == 2);
    CHECK(f.drv.readl(0x008) == 42);
    CHECK(f.drv.readw(0x008) == 42);
    // A write in the wrong byte order selects a different queue, as on hardware.
    f.transport->mmio_write(0x030, 1, 4); // bytes 00 00 00 01: queue 0x01000000
    CHECK(f.drv.readl(0x034) == 0);
    f.drv.writel(0x030, 1);
    CHECK(f.drv.readl(0x034) == 64);
}

TEST_CASE("virtio-mmio config space keeps the device's little-endian layout at every width") {
    Fixture f;
    CHECK(f.drv.readb(0x100) == 0x11);
    CHECK(f.drv.readb(0x107) == 0x88);
    CHECK(f.drv.readw(0x102) == 0x4433);
    CHECK(f.drv.readl(0x104) == 0x88776655);
    CHECK(f.drv.config64(0) == 0x8877665544332211ull);
    CHECK(f.transport->mmio_read(0x100, 8) == 0x1122334455667788ull); // bytes in memory order
    CHECK(f.drv.readl(0x1f0) == 0);                                   // beyond the config: 0
    f.transport->mmio_write(0x101, 0xabcd, 2);                        // bytes ab cd
    CHECK(f.echo->cfg[1] == 0xab);
    CHECK(f.echo->cfg[2] == 0xcd);
}

TEST_CASE("virtio-mmio offers VIRTIO_F_VERSION_1 and refuses FEATURES_OK without it") {
    Fixture f;
    uint64_t offered = f.drv.device_features();
    CHECK((offered & kVersion1) != 0);
    CHECK((offered & (1u << 3)) != 0);
    CHECK_FALSE(f.drv.negotiate(1u << 3)); // legacy driver
    CHECK(f.drv.negotiate(kVersion1 | (1u << 3)));
    // Accepting a bit that was not offered: no FEATURES_OK.
    f.drv.reset();
    f.drv.writel(0x070, kAck | kDriver);
    f.drv.writel(0x024, 1);
    f.drv.writel(0x020, 1);
    f.drv.writel(0x024, 0);
    f.drv.writel(0x020, 1u << 7);
    f.drv.writel(0x070, kAck | kDriver | kFeaturesOk);
    CHECK((f.drv.readl(0x070) & kFeaturesOk) == 0);
}

TEST_CASE("virtio-mmio ignores feature writes after FEATURES_OK") {
    Fixture f;
    REQUIRE(f.drv.negotiate(kVersion1));
    f.drv.writel(0x024, 0);
    f.drv.writel(0x020, 1u << 3);
    CHECK(f.transport->driver_features() == kVersion1);
}

TEST_CASE("virtio-mmio DRIVER_OK without FEATURES_OK marks the device as needing reset") {
    Fixture f;
    f.drv.reset();
    f.drv.writel(0x070, kAck | kDriver | kDriverOk);
    CHECK(f.drv.needs_reset());
    CHECK((f.drv.readl(0x060) & 2) == 2);
    CHECK(f.line.level);
    CHECK(f.echo->activations == 0);
}

TEST_CASE("virtio-mmio activates the device at DRIVER_OK and echoes through a ring") {
    Fixture f;
    f.drv.init(2);
    CHECK(f.echo->activations == 1);
    f.drv.put_bytes(kData, "ping");
    f.drv.add(1, {{kData, 4, false}, {kData + 0x100, 16, true}});
    f.drv.kick(1);
    auto used = f.drv.take_used(1);
    REQUIRE(used.size() == 1);
    CHECK(used[0].id == 0);
    CHECK(used[0].len == 4);
    CHECK(f.drv.get_bytes(kData + 0x100, 4) == "ping");
    CHECK(f.line.level);
    CHECK(f.drv.interrupt() == 1);
    CHECK_FALSE(f.line.level);
}

TEST_CASE("virtio-mmio reports no queue beyond the device's and a bounded power-of-2 maximum") {
    Fixture f(100);
    f.drv.writel(0x030, 0);
    CHECK(f.drv.readl(0x034) == 64); // 100 rounded down
    f.drv.writel(0x030, 2);
    CHECK(f.drv.readl(0x034) == 0);
    f.drv.writel(0x044, 1);
    CHECK(f.drv.readl(0x044) == 0);
    Fixture huge(1u << 30);
    huge.drv.writel(0x030, 0);
    CHECK(huge.drv.readl(0x034) == 32768);
}

TEST_CASE("virtio-mmio refuses a queue of a bad size or with rings outside RAM") {
    uint32_t bad_size = GENERATE(0u, 3u, 128u);
    Fixture f;
    REQUIRE(f.drv.negotiate(kVersion1));
    f.drv.writel(0x030, 0);
    f.drv.writel(0x038, bad_size);
    f.drv.writel(0x080, kRingBase);
    f.drv.writel(0x090, kRingBase + 0x4000);
    f.drv.writel(0x0a0, kRingBase + 0x8000);
    f.drv.writel(0x044, 1);
    CHECK(f.drv.readl(0x044) == 0);
    CHECK(f.drv.needs_reset());
    CHECK(f.transport->failure().find("queue size") != std::string::npos);
}

TEST_CASE("virtio-mmio refuses rings that leave guest RAM or are misaligned") {
    uint64_t used_at = GENERATE(kRamSize - 8, uint64_t{0xf'0000'0000}, kRingBase + 0x8002);
    Fixture f;
    REQUIRE(f.drv.negotiate(kVersion1));
    f.drv.writel(0x030, 0);
    f.drv.writel(0x038, 8);
    f.drv.writel(0x080, kRingBase);
    f.drv.writel(0x090, kRingBase + 0x4000);
    f.drv.writel(0x0a0, static_cast<uint32_t>(used_at));
    f.drv.writel(0x0a4, static_cast<uint32_t>(used_at >> 32));
    f.drv.writel(0x044, 1);
    CHECK(f.drv.readl(0x044) == 0);
    CHECK(f.drv.needs_reset());
}

TEST_CASE("virtio-mmio ignores a queue size change while the queue is live") {
    Fixture f;
    f.drv.init(2, 8);
    f.drv.writel(0x030, 1);
    f.drv.writel(0x038, 32); // the ring in memory still has 8 entries
    f.drv.writel(0x080, 0xdead0000);
    for (int i = 0; i < 10; ++i) {
        f.drv.put_bytes(kData, "x");
        f.drv.add(1, {{kData, 1, false}, {kData + 0x100, 1, true}});
        f.drv.kick(1);
        CHECK(f.drv.take_used(1).size() == 1); // indices wrap at 8, as the driver's do
    }
    CHECK_FALSE(f.drv.needs_reset());
}

TEST_CASE("virtio-mmio reset returns every register to its initial state") {
    Fixture f;
    f.drv.init(2);
    f.drv.put_bytes(kData, "a");
    f.drv.add(0, {{kData, 1, false}, {kData + 0x100, 1, true}});
    f.drv.kick(0);
    REQUIRE(f.line.level);
    f.drv.writel(0x070, 0);
    CHECK(f.drv.readl(0x070) == 0);
    CHECK(f.drv.readl(0x060) == 0);
    CHECK_FALSE(f.line.level);
    f.drv.writel(0x030, 0);
    CHECK(f.drv.readl(0x044) == 0);
    CHECK(f.echo->resets >= 1);
    // A notify while reset does nothing.
    f.drv.kick(0);
    CHECK(f.drv.readl(0x060) == 0);
    // And the device comes back up from scratch.
    f.drv.init(2);
    f.drv.add(0, {{kData, 1, false}, {kData + 0x100, 1, true}});
    f.drv.kick(0);
    CHECK(f.drv.take_used(0).size() == 1);
}

TEST_CASE("virtio-mmio config changes bump the generation and interrupt") {
    Fixture f;
    f.drv.init(2);
    uint32_t before = f.drv.readl(0x0fc);
    f.transport->config_changed();
    CHECK(f.drv.readl(0x0fc) == before + 1);
    CHECK(f.drv.interrupt() == 2);
}

TEST_CASE("virtio-mmio reports no shared memory regions") {
    Fixture f;
    f.drv.writel(0x0ac, 0);
    CHECK(f.drv.readl(0x0b0) == 0xffffffff);
    CHECK(f.drv.readl(0x0b4) == 0xffffffff);
}
