// A virtio-mmio driver for tests, doing what Linux's virtio_mmio.c and
// virtio_ring.c do on a big-endian PowerPC: registers through readl/writel
// (little-endian accesses, so the bus value is the byte-swapped register),
// split rings built in guest RAM with little-endian fields.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "config/device_config.hpp"
#include "devices/registry.hpp"
#include "vmm/vm.hpp"

namespace vmc::testing {

// Guest-physical layout the tests use: rings per queue, then data.
constexpr uint64_t kRamSize = 16 << 20;
constexpr uint64_t kRingBase = 0x100000, kRingStride = 0x10000;
constexpr uint64_t kData = 0x400000;

// Descriptor flags.
constexpr uint16_t kNext = 1, kWrite = 2, kIndirect = 4;
// Status bits.
constexpr uint32_t kAck = 1, kDriver = 2, kDriverOk = 4, kFeaturesOk = 8, kNeedsReset = 0x40;
constexpr uint64_t kVersion1 = 1ull << 32, kIndirectDesc = 1ull << 28;

struct Segment {
    uint64_t address;
    uint32_t length;
    bool device_writable;
};

struct UsedElem {
    uint32_t id;
    uint32_t len;
};

inline model::Machine machine_with(const std::string& type, nlohmann::json props,
                                   std::string name = "v0") {
    model::Machine m;
    m.name = "test-machine";
    m.memory = {0, kRamSize};
    model::Device d;
    d.name = std::move(name);
    d.type = type;
    d.address = 0xf'0000'0000ull;
    d.size = 0x200;
    d.irq = model::Irq{5, model::IrqSense::LevelHigh};
    d.props = std::move(props);
    m.devices.push_back(config::configured(std::move(d)));
    return m;
}

// The interrupt line as the MPIC would see it.
struct Line : vmm::IrqSink {
    bool level = false;
    void set_irq(uint32_t, bool l) override { level = l; }
};

struct Driver {
    vmm::Vm& vm;
    vmm::MmioHandler& dev;

    struct Queue {
        uint16_t size = 0;
        uint16_t avail_idx = 0;
        uint16_t last_used = 0;
        uint16_t next_desc = 0;
        uint64_t desc() const { return base; }
        uint64_t avail() const { return base + 0x4000; }
        uint64_t used() const { return base + 0x8000; }
        uint64_t base = 0;
    };
    std::vector<Queue> queues{8};

    // readl/writel on a big-endian CPU: the register's little-endian bytes, swapped.
    uint32_t readl(uint64_t off) {
        return __builtin_bswap32(static_cast<uint32_t>(dev.mmio_read(off, 4)));
    }
    void writel(uint64_t off, uint32_t v) { dev.mmio_write(off, __builtin_bswap32(v), 4); }
    uint8_t readb(uint64_t off) { return static_cast<uint8_t>(dev.mmio_read(off, 1)); }
    uint16_t readw(uint64_t off) {
        return __builtin_bswap16(static_cast<uint16_t>(dev.mmio_read(off, 2)));
    }
    // virtio_cread64 on virtio-mmio: two readl of the halves, low first.
    uint64_t config64(uint64_t off) {
        return readl(0x100 + off) | uint64_t{readl(0x100 + off + 4)} << 32;
    }

    void put(uint64_t gpa, uint64_t v, unsigned n) {
        auto s = vm.ram.span(gpa, n);
        REQUIRE(s.size() == n);
        for (unsigned i = 0; i < n; ++i)
            s[i] = static_cast<uint8_t>(v >> (8 * i));
    }
    uint64_t get(uint64_t gpa, unsigned n) {
        auto s = vm.ram.span(gpa, n);
        REQUIRE(s.size() == n);
        uint64_t v = 0;
        for (unsigned i = 0; i < n; ++i)
            v |= uint64_t{s[i]} << (8 * i);
        return v;
    }
    void put_bytes(uint64_t gpa, const std::string& bytes) {
        REQUIRE(vm.ram.write(gpa, {reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}));
    }
    std::string get_bytes(uint64_t gpa, size_t n) {
        std::string s(n, '\0');
        REQUIRE(vm.ram.read(gpa, {reinterpret_cast<uint8_t*>(s.data()), n}));
        return s;
    }

    // virtio_mmio probe: magic, version 2, a device id.
    uint32_t probe() {
        REQUIRE(readl(0x000) == 0x74726976);
        REQUIRE(readl(0x004) == 2);
        return readl(0x008);
    }
    void reset() {
        writel(0x070, 0);
        REQUIRE(readl(0x070) == 0); // Linux waits for the status to read back 0
    }
    uint64_t device_features() {
        writel(0x014, 1);
        uint64_t f = uint64_t{readl(0x010)} << 32;
        writel(0x014, 0);
        return f | readl(0x010);
    }
    // Reset, ACKNOWLEDGE, DRIVER, accept `wanted` & offered, FEATURES_OK.
    // Returns whether FEATURES_OK stuck.
    bool negotiate(uint64_t wanted) {
        reset();
        writel(0x070, kAck);
        writel(0x070, kAck | kDriver);
        uint64_t accepted = device_features() & wanted;
        writel(0x024, 1);
        writel(0x020, static_cast<uint32_t>(accepted >> 32));
        writel(0x024, 0);
        writel(0x020, static_cast<uint32_t>(accepted));
        writel(0x070, kAck | kDriver | kFeaturesOk);
        return (readl(0x070) & kFeaturesOk) != 0;
    }
    // vm_setup_vq: select, check not in use, read max, write size and ring addresses, ready.
    void setup_queue(unsigned q, uint16_t size) {
        writel(0x030, q);
        REQUIRE(readl(0x044) == 0);
        REQUIRE(readl(0x034) >= size);
        Queue& s = queues[q];
        s = Queue{};
        s.size = size;
        s.base = kRingBase + kRingStride * q;
        // Fresh rings, as vring_create_virtqueue zeroes them.
        auto ring = vm.ram.span(s.base, kRingStride);
        std::fill(ring.begin(), ring.end(), 0);
        writel(0x038, size);
        writel(0x080, static_cast<uint32_t>(s.desc()));
        writel(0x084, static_cast<uint32_t>(s.desc() >> 32));
        writel(0x090, static_cast<uint32_t>(s.avail()));
        writel(0x094, static_cast<uint32_t>(s.avail() >> 32));
        writel(0x0a0, static_cast<uint32_t>(s.used()));
        writel(0x0a4, static_cast<uint32_t>(s.used() >> 32));
        writel(0x044, 1);
    }
    void driver_ok() { writel(0x070, readl(0x070) | kDriverOk); }
    // The whole bring-up with `queue_count` queues of `size`.
    void init(unsigned queue_count, uint16_t size = 8, uint64_t wanted = kVersion1) {
        REQUIRE(negotiate(wanted));
        for (unsigned q = 0; q < queue_count; ++q)
            setup_queue(q, size);
        driver_ok();
        REQUIRE((readl(0x070) & kNeedsReset) == 0);
    }

    void descriptor(unsigned q, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                    uint16_t next) {
        uint64_t at = queues[q].desc() + 16ull * i;
        put(at, addr, 8);
        put(at + 8, len, 4);
        put(at + 12, flags, 2);
        put(at + 14, next, 2);
    }
    // Writes a chain into free descriptors and makes it available (no kick).
    uint16_t add(unsigned q, const std::vector<Segment>& segs) {
        Queue& s = queues[q];
        uint16_t head = s.next_desc;
        for (size_t i = 0; i < segs.size(); ++i) {
            uint16_t index = static_cast<uint16_t>((head + i) % s.size);
            uint16_t next = static_cast<uint16_t>((index + 1) % s.size);
            bool last = i + 1 == segs.size();
            descriptor(
                q, index, segs[i].address, segs[i].length,
                static_cast<uint16_t>((segs[i].device_writable ? kWrite : 0) | (last ? 0 : kNext)),
                last ? 0 : next);
        }
        s.next_desc = static_cast<uint16_t>((head + segs.size()) % s.size);
        make_available(q, head);
        return head;
    }
    void make_available(unsigned q, uint16_t head) {
        Queue& s = queues[q];
        put(s.avail() + 4 + 2ull * (s.avail_idx % s.size), head, 2);
        put(s.avail() + 2, ++s.avail_idx, 2);
    }
    void kick(unsigned q) { writel(0x050, q); }
    // New used entries since the last call.
    std::vector<UsedElem> take_used(unsigned q) {
        Queue& s = queues[q];
        std::vector<UsedElem> out;
        uint16_t idx = static_cast<uint16_t>(get(s.used() + 2, 2));
        for (; s.last_used != idx; ++s.last_used) {
            uint64_t at = s.used() + 4 + 8ull * (s.last_used % s.size);
            out.push_back(
                {static_cast<uint32_t>(get(at, 4)), static_cast<uint32_t>(get(at + 4, 4))});
        }
        return out;
    }
    // vm_interrupt: read the status, acknowledge exactly it.
    uint32_t interrupt() {
        uint32_t status = readl(0x060);
        writel(0x064, status);
        return status;
    }
    bool needs_reset() { return (readl(0x070) & kNeedsReset) != 0; }
};

// A virtio-rng device on a machine of its own, with a driver and its line:
// the simplest device, for tests of the transport and the rings.
struct RngFixture {
    model::Machine machine = machine_with("virtio-rng", nlohmann::json::object());
    vmm::Vm vm{machine, {}};
    Line line;
    std::unique_ptr<vmm::Device> dev =
        devices::find_device_kind("virtio-rng")->create(machine.devices[0], vm);
    Driver drv{vm, *dev};
    RngFixture() { vm.irq.connect(&line); }
};

} // namespace vmc::testing
