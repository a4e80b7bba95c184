// Resource bounds: what a guest (or the peer of a console) can make the VMM
// hold is capped, whatever the machine file or the guest asks for.
#include <catch2/catch.hpp>

#include <string>

#include "devices/ns16550/ns16550.hpp"
#include "devices/registry.hpp"
#include "devices/virtio_console/console_device.hpp"
#include "devices/virtio_driver.hpp"

using namespace vmc;
using namespace vmc::testing;

namespace {

constexpr size_t kHostFlood = 4 << 20; // far beyond any bound below

struct CountingConsole : vmm::Console {
    size_t* written;
    explicit CountingConsole(size_t* sink) : written(sink) {}
    void write(std::span<const uint8_t> bytes) override { *written += bytes.size(); }
    void type(const std::string& text) {
        deliver({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
    }
};

struct VirtioConsole {
    model::Machine machine = machine_with("virtio-console", nlohmann::json::object());
    vmm::Vm vm{machine, {}};
    Line line;
    size_t written = 0;
    CountingConsole* backend = nullptr;
    std::unique_ptr<vmm::Device> dev;
    Driver drv;
    VirtioConsole() : dev(make()), drv{vm, *dev} { vm.irq.connect(&line); }
    std::unique_ptr<vmm::Device> make() {
        auto console = std::make_unique<CountingConsole>(&written);
        backend = console.get();
        return devices::virtio_console::make_device(machine.devices[0], vm, std::move(console));
    }
};

} // namespace

TEST_CASE("virtio-mmio offers at most 32768 queue entries whatever the machine file asks") {
    auto machine = machine_with("virtio-rng", {{"queue-size-max", 1u << 24}});
    vmm::Vm vm{machine, {}};
    auto dev = devices::find_device_kind("virtio-rng")->create(machine.devices[0], vm);
    Driver drv{vm, *dev};
    REQUIRE(drv.negotiate(kVersion1));
    drv.writel(0x030, 0);
    CHECK(drv.readl(0x034) == 32768);
}

TEST_CASE("virtio-mmio refuses a queue larger than it offers instead of sizing rings by it") {
    auto machine = machine_with("virtio-rng", nlohmann::json::object());
    vmm::Vm vm{machine, {}};
    auto dev = devices::find_device_kind("virtio-rng")->create(machine.devices[0], vm);
    Driver drv{vm, *dev};
    REQUIRE(drv.negotiate(kVersion1));
    drv.writel(0x030, 0);
    uint32_t offered = drv.readl(0x034);
    drv.writel(0x038, 0x10000); // beyond the 16-bit ring indices
    drv.writel(0x080, static_cast<uint32_t>(kRingBase));
    drv.writel(0x090, static_cast<uint32_t>(kRingBase + 0x4000));
    drv.writel(0x0a0, static_cast<uint32_t>(kRingBase + 0x8000));
    drv.writel(0x044, 1);
    CHECK(drv.needs_reset());
    CHECK(drv.readl(0x044) == 0);
    CHECK(offered <= 32768);
}

TEST_CASE("virtio-console keeps at most 64 KiB of host input while the guest posts no buffers") {
    VirtioConsole c;
    c.drv.init(2);
    c.backend->type(std::string(kHostFlood, 'x'));
    // Now the guest posts far more room than the bound: only what was kept arrives.
    size_t delivered = 0;
    for (int round = 0; round < 4; ++round) {
        c.drv.add(0, {{kData, 1 << 20, true}});
        c.drv.kick(0);
        for (const auto& used : c.drv.take_used(0))
            delivered += used.len;
    }
    CHECK(delivered > 0);
    CHECK(delivered <= 64 * 1024);
}

TEST_CASE("virtio-console sends at most 64 KiB of one transmit chain to the backend") {
    VirtioConsole c;
    c.drv.init(2);
    c.drv.add(1, {{kData, 4 << 20, false}});
    c.drv.kick(1);
    auto used = c.drv.take_used(1);
    REQUIRE(used.size() == 1);
    CHECK(c.written > 0);
    CHECK(c.written <= 64 * 1024);
}

TEST_CASE("ns16550 keeps at most 64 KiB of host input while the guest does not read") {
    using devices::ns16550::Uart;
    size_t written = 0;
    auto console = std::make_unique<CountingConsole>(&written);
    vmm::Clock clock{vmm::Clock::Mode::Instructions};
    vmm::TimerQueue timers;
    vmm::IrqRouter router;
    devices::ns16550::Config config{{"ns16550"}, 1'843'200, 0, 0, "", {"null", {}, false}};
    Uart uart("serial0", config, vmm::IrqLine(&router, 42), std::move(console), &clock, &timers);
    uart.mmio_write(2, 0x01, 1); // FIFO on
    std::string flood(kHostFlood, 'y');
    uart.receive({reinterpret_cast<const uint8_t*>(flood.data()), flood.size()});
    size_t read = 0;
    while ((uart.mmio_read(5, 1) & 0x01) && read <= kHostFlood) {
        (void)uart.mmio_read(0, 1);
        ++read;
    }
    CHECK(read > 0);
    CHECK(read <= Uart::kHostQueueLimit + Uart::kFifoSize);
}
