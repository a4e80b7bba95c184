// virtio-mmio devices driven like Linux's virtio_mmio.c + virtio_ring.c:
// real split rings in guest RAM, registers through the MMIO interface.
#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>
#include <unistd.h>

#include "devices/registry.hpp"
#include "vmm/vm.hpp"

using namespace vmc;

namespace {

constexpr uint64_t kDesc = 0x10000, kAvail = 0x11000, kUsed = 0x12000, kData = 0x20000;
constexpr uint32_t kQueueSize = 8;

// The driver's view: registers are little-endian, the bus carries what a
// big-endian load of those bytes gives, as it does for a PowerPC guest.
struct Driver {
    vmm::Vm& vm;
    vmm::Device& dev;
    uint16_t avail_idx = 0;

    static uint32_t swap(uint32_t v) { return __builtin_bswap32(v); }
    uint32_t reg(uint64_t off) { return swap(static_cast<uint32_t>(dev.mmio_read(off, 4))); }
    void set(uint64_t off, uint32_t v) { dev.mmio_write(off, swap(v), 4); }
    void le(uint64_t gpa, uint64_t v, unsigned n) {
        for (unsigned i = 0; i < n; ++i) vm.ram.write_be(gpa + i, (v >> (8 * i)) & 0xff, 1);
    }
    uint64_t get_le(uint64_t gpa, unsigned n) {
        uint64_t v = 0;
        for (unsigned i = 0; i < n; ++i) v |= *vm.ram.read_be(gpa + i, 1) << (8 * i);
        return v;
    }

    // Probe and bring the device up with one queue per `queues`.
    void init(unsigned queues) {
        REQUIRE(reg(0x000) == 0x74726976);
        REQUIRE(reg(0x004) == 2);
        set(0x070, 0);
        set(0x070, 1);     // ACKNOWLEDGE
        set(0x070, 1 | 2); // DRIVER
        set(0x014, 1);
        REQUIRE((reg(0x010) & 1) == 1); // VIRTIO_F_VERSION_1 (bit 32)
        set(0x024, 1);
        set(0x020, 1);
        set(0x070, 1 | 2 | 8);
        REQUIRE((reg(0x070) & 8) == 8); // FEATURES_OK stuck
        for (unsigned q = 0; q < queues; ++q) {
            set(0x030, q);
            REQUIRE(reg(0x034) >= kQueueSize);
            set(0x038, kQueueSize);
            uint64_t off = 0x4000ull * q;
            set(0x080, static_cast<uint32_t>(kDesc + off));
            set(0x090, static_cast<uint32_t>(kAvail + off));
            set(0x0a0, static_cast<uint32_t>(kUsed + off));
            set(0x044, 1);
        }
        set(0x070, 1 | 2 | 8 | 4); // DRIVER_OK
    }
    void descriptor(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next) {
        le(kDesc + 16 * i, addr, 8);
        le(kDesc + 16 * i + 8, len, 4);
        le(kDesc + 16 * i + 12, flags, 2);
        le(kDesc + 16 * i + 14, next, 2);
    }
    void kick(uint16_t head) {
        le(kAvail + 4 + 2 * (avail_idx % kQueueSize), head, 2);
        le(kAvail + 2, ++avail_idx, 2);
        set(0x050, 0);
    }
    uint16_t used_idx() { return static_cast<uint16_t>(get_le(kUsed + 2, 2)); }
    uint32_t used_len(unsigned n) { return static_cast<uint32_t>(get_le(kUsed + 4 + 8 * n + 4, 4)); }
};

model::Machine machine_with(const std::string& type, nlohmann::json props) {
    model::Machine m;
    m.memory = {0, 16 << 20};
    model::Device d;
    d.name = "v0";
    d.type = type;
    d.address = 0xf'0000'0000ull;
    d.size = 0x200;
    d.irq = model::Irq{5, model::IrqSense::LevelHigh};
    d.props = std::move(props);
    m.devices.push_back(d);
    return m;
}

struct Line : vmm::IrqSink {
    bool level = false;
    void set_irq(uint32_t, bool l) override { level = l; }
};

} // namespace

TEST_CASE("virtio-rng fills a device-writable buffer and interrupts") {
    auto m = machine_with("virtio-rng", nlohmann::json::object());
    vmm::Vm vm(m, {});
    Line line;
    vm.irq.connect(&line);
    auto dev = devices::find_device_kind("virtio-rng")->create(m.devices[0], vm);
    Driver drv{vm, *dev};
    REQUIRE(drv.reg(0x008) == 4);
    drv.init(1);
    drv.descriptor(0, kData, 64, 2 /* WRITE */, 0);
    drv.kick(0);
    CHECK(drv.used_idx() == 1);
    CHECK(drv.used_len(0) == 64);
    CHECK(line.level);
    CHECK((drv.reg(0x060) & 1) == 1);
    drv.set(0x064, 1);
    CHECK_FALSE(line.level);
}

TEST_CASE("virtio-blk reads, writes, flushes and answers GET_ID") {
    std::string image = "/tmp/vmc-blk-" + std::to_string(getpid()) + ".img";
    {
        std::ofstream f(image, std::ios::binary);
        std::string data(8 * 512, 'a');
        std::memcpy(data.data() + 512, "second sector", 13);
        f << data;
    }
    auto m = machine_with("virtio-blk", {{"image", image}, {"serial", "disk-serial"}});
    vmm::Vm vm(m, {});
    auto dev = devices::find_device_kind("virtio-blk")->create(m.devices[0], vm);
    Driver drv{vm, *dev};
    REQUIRE(drv.reg(0x008) == 2);
    drv.init(1);
    CHECK(__builtin_bswap32(static_cast<uint32_t>(dev->mmio_read(0x100, 4))) == 8); // capacity

    auto request = [&](uint32_t type, uint64_t sector, uint32_t data_len, bool device_writes) {
        drv.le(kData, type, 4);
        drv.le(kData + 8, sector, 8);
        drv.descriptor(0, kData, 16, 1, 1);
        drv.descriptor(1, kData + 0x100, data_len, static_cast<uint16_t>(1 | (device_writes ? 2 : 0)), 2);
        drv.descriptor(2, kData + 0x1000, 1, 2, 0);
        drv.kick(0);
        return static_cast<uint8_t>(drv.get_le(kData + 0x1000, 1));
    };
    CHECK(request(0 /* IN */, 1, 512, true) == 0);
    CHECK(drv.get_le(kData + 0x100, 1) == 's');
    vm.ram.write(kData + 0x100, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>("WRITTEN"), 7));
    CHECK(request(1 /* OUT */, 2, 512, false) == 0);
    CHECK(request(0, 8, 512, true) == 1);                    // past the end: IOERR, no host error
    CHECK(request(8 /* GET_ID */, 0, 20, true) == 0);
    CHECK(drv.get_le(kData + 0x100, 1) == 'd');
    // FLUSH: header and status only
    drv.le(kData, 4, 4);
    drv.le(kData + 0x1000, 0xff, 1);
    drv.descriptor(0, kData, 16, 1, 2);
    drv.descriptor(2, kData + 0x1000, 1, 2, 0);
    drv.kick(0);
    CHECK(drv.get_le(kData + 0x1000, 1) == 0);
    dev.reset(); // closes the image
    std::ifstream f(image, std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(f)), {});
    CHECK(content.substr(1024, 7) == "WRITTEN");
    unlink(image.c_str());
}

TEST_CASE("a descriptor loop marks the device broken instead of hanging") {
    auto m = machine_with("virtio-rng", nlohmann::json::object());
    vmm::Vm vm(m, {});
    auto dev = devices::find_device_kind("virtio-rng")->create(m.devices[0], vm);
    Driver drv{vm, *dev};
    drv.init(1);
    drv.descriptor(0, kData, 16, 2 | 1, 1);
    drv.descriptor(1, kData, 16, 2 | 1, 0); // 0 -> 1 -> 0 ...
    drv.kick(0);
    CHECK((drv.reg(0x070) & 0x40) == 0x40); // DEVICE_NEEDS_RESET
    CHECK((drv.reg(0x060) & 2) == 2);       // configuration-change interrupt
    CHECK(drv.used_idx() == 0);
}

TEST_CASE("a buffer outside guest RAM is rejected") {
    auto m = machine_with("virtio-rng", nlohmann::json::object());
    vmm::Vm vm(m, {});
    auto dev = devices::find_device_kind("virtio-rng")->create(m.devices[0], vm);
    Driver drv{vm, *dev};
    drv.init(1);
    drv.descriptor(0, (16 << 20) - 8, 64, 2, 0);
    drv.kick(0);
    CHECK((drv.reg(0x070) & 0x40) == 0x40);
}

TEST_CASE("a driver that refuses VIRTIO_F_VERSION_1 does not get FEATURES_OK") {
    auto m = machine_with("virtio-rng", nlohmann::json::object());
    vmm::Vm vm(m, {});
    auto dev = devices::find_device_kind("virtio-rng")->create(m.devices[0], vm);
    Driver drv{vm, *dev};
    drv.set(0x070, 1 | 2);
    drv.set(0x070, 1 | 2 | 8);
    CHECK((drv.reg(0x070) & 8) == 0);
}

TEST_CASE("a writable image in use by another VM is refused") {
    std::string image = "/tmp/vmc-lock-" + std::to_string(getpid()) + ".img";
    std::ofstream(image) << std::string(512, 'x');
    auto m = machine_with("virtio-blk", {{"image", image}});
    vmm::Vm vm(m, {});
    auto first = devices::find_device_kind("virtio-blk")->create(m.devices[0], vm);
    CHECK_THROWS_WITH(devices::find_device_kind("virtio-blk")->create(m.devices[0], vm),
                      Catch::Contains(image) && Catch::Contains("in use"));
    unlink(image.c_str());
}
