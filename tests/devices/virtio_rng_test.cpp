// virtio-rng: device-writable buffers filled from the host's getrandom().
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
};
} // namespace

TEST_CASE("virtio-rng fills a device-writable buffer and interrupts") {
    Rng r;
    CHECK(r.drv.probe() == 4);
    r.drv.init(1);
    r.drv.add(0, {{kData, 64, true}});
    r.drv.add(0, {{kData + 0x100, 64, true}});
    r.drv.kick(0);
    auto used = r.drv.take_used(0);
    REQUIRE(used.size() == 2);
    CHECK(used[0].len == 64);
    CHECK(used[1].len == 64);
    // Two 64-byte draws from a real entropy source do not coincide.
    CHECK(r.drv.get_bytes(kData, 64) != r.drv.get_bytes(kData + 0x100, 64));
    CHECK(r.drv.get_bytes(kData, 64) != std::string(64, '\0'));
    CHECK(r.line.level);
    CHECK(r.drv.interrupt() == 1);
    CHECK_FALSE(r.line.level);
}

TEST_CASE("virtio-rng caps one request so the guest cannot make the host draw without bound") {
    Rng r;
    r.drv.init(1);
    r.drv.add(0, {{kData, 4 << 20, true}});
    r.drv.kick(0);
    auto used = r.drv.take_used(0);
    REQUIRE(used.size() == 1);
    CHECK(used[0].len > 0);
    CHECK(used[0].len <= 64 * 1024);
}

TEST_CASE("virtio-rng returns a buffer with nothing writable empty") {
    Rng r;
    r.drv.init(1);
    r.drv.put_bytes(kData, "keep");
    r.drv.add(0, {{kData, 4, false}});
    r.drv.kick(0);
    auto used = r.drv.take_used(0);
    REQUIRE(used.size() == 1);
    CHECK(used[0].len == 0);
    CHECK(r.drv.get_bytes(kData, 4) == "keep");
}
