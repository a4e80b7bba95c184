// virtio-console port 0: transmit to the backend, receive from it into the
// buffers the driver posts (hvc_virtio's pattern: one rx buffer per page).
#include <catch2/catch.hpp>

#include <fstream>
#include <unistd.h>

#include "devices/registry.hpp"
#include "devices/virtio_console/console_device.hpp"
#include "virtio_driver.hpp"

using namespace vmc;
using namespace vmc::testing;

namespace {
constexpr unsigned kRx = 0, kTx = 1;

struct FakeConsole : vmm::Console {
    std::string* written;
    explicit FakeConsole(std::string* sink) : written(sink) {}
    void write(std::span<const uint8_t> bytes) override {
        written->append(bytes.begin(), bytes.end());
    }
    void type(const std::string& text) {
        deliver({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
    }
};

struct Con {
    model::Machine machine = machine_with("virtio-console", nlohmann::json::object());
    vmm::Vm vm{machine, {}};
    Line line;
    std::string output;
    FakeConsole* backend = nullptr;
    std::unique_ptr<vmm::Device> dev;
    Driver drv;
    Con() : dev(make()), drv{vm, *dev} { vm.irq.connect(&line); }
    std::unique_ptr<vmm::Device> make() {
        auto console = std::make_unique<FakeConsole>(&output);
        backend = console.get();
        return devices::virtio_console::make_device(machine.devices[0], vm, std::move(console));
    }
};
} // namespace

TEST_CASE("virtio-console sends transmit buffers to the backend in order") {
    Con c;
    CHECK(c.drv.probe() == 3);
    c.drv.init(2);
    c.drv.put_bytes(kData, "hello, ");
    c.drv.put_bytes(kData + 0x100, "world\n");
    c.drv.add(kTx, {{kData, 7, false}, {kData + 0x100, 6, false}});
    c.drv.kick(kTx);
    CHECK(c.output == "hello, world\n");
    auto used = c.drv.take_used(kTx);
    REQUIRE(used.size() == 1);
    CHECK(c.drv.interrupt() == 1);
}

TEST_CASE("virtio-console holds input until the guest posts receive buffers") {
    Con c;
    c.drv.init(2);
    c.backend->type("typed early");
    CHECK(c.drv.take_used(kRx).empty());
    CHECK_FALSE(c.line.level);

    c.drv.add(kRx, {{kData, 5, true}});
    c.drv.add(kRx, {{kData + 0x100, 64, true}});
    c.drv.kick(kRx);
    auto used = c.drv.take_used(kRx);
    REQUIRE(used.size() == 2);
    CHECK(used[0].len == 5);
    CHECK(c.drv.get_bytes(kData, 5) == "typed");
    CHECK(used[1].len == 6);
    CHECK(c.drv.get_bytes(kData + 0x100, 6) == " early");
    CHECK(c.line.level);

    // With a buffer already posted, input goes straight in.
    c.drv.interrupt();
    c.drv.add(kRx, {{kData + 0x200, 64, true}});
    c.drv.kick(kRx);
    c.backend->type("x");
    used = c.drv.take_used(kRx);
    REQUIRE(used.size() == 1);
    CHECK(used[0].len == 1);
    CHECK(c.line.level);
}

TEST_CASE("virtio-console buffers a bounded amount of input") {
    Con c;
    c.drv.init(2, 64);
    c.backend->type(std::string(1 << 20, 'k')); // 1 MiB typed while the guest is busy
    size_t received = 0;
    for (int round = 0; round < 8; ++round) {
        for (int i = 0; i < 8; ++i)
            c.drv.add(kRx, {{kData + 0x10000ull * i, 0x10000, true}});
        c.drv.kick(kRx);
        for (auto u : c.drv.take_used(kRx))
            received += u.len;
    }
    CHECK(received > 0);
    CHECK(received <= 64 * 1024);
}

TEST_CASE("virtio-console drops input typed before the driver reset the device") {
    Con c;
    c.backend->type("lost");
    c.drv.init(2);
    c.drv.add(kRx, {{kData, 16, true}});
    c.drv.kick(kRx);
    CHECK(c.drv.take_used(kRx).empty());
}

TEST_CASE("virtio-console writes to a file: backend") {
    std::string path = "/tmp/vmc-vcon-" + std::to_string(getpid()) + ".log";
    auto m = machine_with("virtio-console", {{"console", "file:" + path}});
    vmm::Vm vm(m, {});
    auto dev = devices::find_device_kind("virtio-console")->create(m.devices[0], vm);
    Driver drv{vm, *dev};
    drv.init(2);
    drv.put_bytes(kData, "to the file\n");
    drv.add(kTx, {{kData, 12, false}});
    drv.kick(kTx);
    dev.reset();
    std::ifstream f(path);
    std::string content((std::istreambuf_iterator<char>(f)), {});
    CHECK(content == "to the file\n");
    unlink(path.c_str());
}
