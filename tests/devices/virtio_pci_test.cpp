// The virtio-pci transport as Linux's virtio_pci_modern drives it on a
// big-endian CPU: capabilities found through the config space list,
// little-endian registers in BAR 4, INTx with the ISR, MSI-X messages through
// the upstream bridge, and what a hostile driver can do to it.
#include <catch2/catch.hpp>

#include <map>

#include "devices/virtio/pci_transport.hpp"
#include "virtio_driver.hpp"
#include "virtio_echo.hpp"

using namespace vmc;
using namespace vmc::testing;
using namespace vmc::devices::virtio::pci_layout;
using devices::virtio::PciTransport;
namespace pci = devices::pci;

namespace {

// Stands in for the host bridge: records INTx and bus-master writes.
struct Upstream : pci::Upstream {
    bool intx = false;
    std::vector<std::pair<uint64_t, uint32_t>> messages;
    void intx_changed(pci::Function& f) override { intx = f.intx_level(); }
    void bus_write32(uint64_t address, uint32_t value) override {
        messages.emplace_back(address, value);
    }
};

struct Unused : vmm::MmioHandler {
    uint64_t mmio_read(uint64_t, unsigned) override { return 0; }
    void mmio_write(uint64_t, uint64_t, unsigned) override {}
};

struct Rig {
    model::Machine machine = machine_with("virtio-rng", nlohmann::json::object());
    vmm::Vm vm{machine, {}};
    Echo* echo = nullptr;
    std::unique_ptr<PciTransport> t;
    Upstream up;
    Unused unused;
    Driver rings{vm, unused}; // ring building only; registers go through BAR 4 below

    Rig() {
        auto dev = std::make_unique<Echo>();
        echo = dev.get();
        t = std::make_unique<PciTransport>("echo0", std::move(dev), vm.ram, 64);
        t->plug(&up, 3);
        t->config_write(pci::cfg::kCommand, pci::cfg::kCommandMemory | pci::cfg::kCommandMaster, 2);
    }
    // iowrite/ioread on a big-endian CPU: little-endian registers.
    void w(uint64_t off, uint64_t v, unsigned size) {
        uint64_t bus = 0;
        for (unsigned i = 0; i < size; ++i)
            bus = (bus << 8) | ((v >> (8 * i)) & 0xff);
        t->bar_write(kRegisterBar, off, bus, size);
    }
    uint64_t r(uint64_t off, unsigned size) {
        uint64_t bus = t->bar_read(kRegisterBar, off, size), v = 0;
        for (unsigned i = 0; i < size; ++i)
            v |= ((bus >> (8 * (size - 1 - i))) & 0xff) << (8 * i);
        return v;
    }
    void msix(uint64_t off, uint32_t v) { t->bar_write(kMsixBar, off, __builtin_bswap32(v), 4); }
    // The modern bring-up: reset, ACK|DRIVER, features, FEATURES_OK, queues, DRIVER_OK.
    void init(unsigned queues, uint16_t size = 8) {
        w(common::kDeviceStatus, 0, 1);
        REQUIRE(r(common::kDeviceStatus, 1) == 0);
        w(common::kDeviceStatus, kAck | kDriver, 1);
        w(common::kDriverFeatureSelect, 1, 4);
        w(common::kDriverFeature, 1, 4); // VERSION_1
        w(common::kDriverFeatureSelect, 0, 4);
        w(common::kDriverFeature, 0, 4);
        w(common::kDeviceStatus, kAck | kDriver | kFeaturesOk, 1);
        REQUIRE(r(common::kDeviceStatus, 1) & kFeaturesOk);
        for (unsigned q = 0; q < queues; ++q) {
            Driver::Queue& s = rings.queues[q];
            s = Driver::Queue{};
            s.size = size;
            s.base = kRingBase + kRingStride * q;
            auto ring = vm.ram.span(s.base, kRingStride);
            std::fill(ring.begin(), ring.end(), 0);
            w(common::kQueueSelect, q, 2);
            REQUIRE(r(common::kQueueSize, 2) == 64);
            w(common::kQueueSize, size, 2);
            // vp_iowrite64_twopart: low half, then high half.
            w(common::kQueueDesc, s.desc() & 0xffffffff, 4);
            w(common::kQueueDesc + 4, s.desc() >> 32, 4);
            w(common::kQueueDriver, s.avail(), 4);
            w(common::kQueueDriver + 4, 0, 4);
            w(common::kQueueDevice, s.used(), 8);
            w(common::kQueueEnable, 1, 2);
            REQUIRE(r(common::kQueueEnable, 2) == 1);
        }
        w(common::kDeviceStatus, kAck | kDriver | kFeaturesOk | kDriverOk, 1);
        REQUIRE((r(common::kDeviceStatus, 1) & kNeedsReset) == 0);
    }
    void kick(unsigned q) { w(kNotify + kNotifyMultiplier * r_notify_off(q), q, 2); }
    uint64_t r_notify_off(unsigned q) {
        w(common::kQueueSelect, q, 2);
        return r(common::kQueueNotifyOff, 2);
    }
    // One echo request on queue `q`: "ping" in, 4 bytes back.
    void request(unsigned q) {
        rings.put_bytes(kData, "ping");
        rings.add(q, {{kData, 4, false}, {kData + 0x100, 4, true}});
        kick(q);
    }
};

// Walks the capability list as virtio_pci_find_capability does.
std::map<uint8_t, unsigned> virtio_caps(PciTransport& t) {
    std::map<uint8_t, unsigned> found;
    unsigned at = t.config_read(pci::cfg::kCapabilities, 1);
    for (int guard = 0; at && guard < 48; ++guard) {
        if (t.config_read(at, 1) == 0x09)
            found[static_cast<uint8_t>(t.config_read(at + 3, 1))] = at;
        at = t.config_read(at + 1, 1);
    }
    return found;
}

} // namespace

TEST_CASE("virtio-pci: modern identity and the five capabilities point into BAR 4") {
    Rig rig;
    auto& c = rig.t->config();
    CHECK(c.read(pci::cfg::kVendorId, 2) == 0x1af4);
    CHECK(c.read(pci::cfg::kDeviceId, 2) == 0x1040 + 42);
    CHECK(c.read(pci::cfg::kRevision, 1) == 1);
    CHECK(c.interrupt_pin() == 1);
    auto caps = virtio_caps(*rig.t);
    REQUIRE(caps.size() == 4);
    for (auto [type, at] : caps) {
        CHECK(rig.t->config_read(at + 4, 1) == kRegisterBar);
        INFO("type " << int(type));
    }
    CHECK(rig.t->config_read(caps[1] + 8, 4) == kCommon);
    CHECK(rig.t->config_read(caps[2] + 8, 4) == kNotify);
    CHECK(rig.t->config_read(caps[2] + 16, 4) == kNotifyMultiplier);
    CHECK(rig.t->config_read(caps[3] + 8, 4) == kIsr);
    CHECK(rig.t->config_read(caps[4] + 8, 4) == kDeviceConfig);
    CHECK(rig.t->config_read(rig.t->msix_capability(), 1) == 0x11);
    CHECK((rig.t->config_read(rig.t->msix_capability() + 2, 2) & 0x7ff) == 2); // 3 vectors
}

TEST_CASE("virtio-pci: features, queues and device config through the common structure") {
    Rig rig;
    rig.w(common::kDeviceFeatureSelect, 1, 4);
    CHECK(rig.r(common::kDeviceFeature, 4) & 1); // VERSION_1
    rig.w(common::kDeviceFeatureSelect, 0, 4);
    CHECK(rig.r(common::kDeviceFeature, 4) & (1u << 3));
    CHECK(rig.r(common::kNumQueues, 2) == 2);
    CHECK(rig.r(kDeviceConfig, 4) == 0x44332211);
    rig.w(kDeviceConfig + 1, 0xaa, 1);
    CHECK(rig.echo->cfg[1] == 0xaa);
    rig.init(2);
    CHECK(rig.echo->activations == 1);
    rig.w(common::kQueueSelect, 0, 2);
    CHECK(rig.r(common::kQueueDesc, 8) == kRingBase);
    CHECK(rig.r(common::kQueueDevice, 4) == kRingBase + 0x8000);
}

TEST_CASE("virtio-pci: without MSI-X a used buffer raises INTA until the ISR is read") {
    Rig rig;
    rig.init(2);
    rig.request(1);
    auto used = rig.rings.take_used(1);
    REQUIRE(used.size() == 1);
    CHECK(used[0].len == 4);
    CHECK(rig.rings.get_bytes(kData + 0x100, 4) == "ping");
    CHECK(rig.up.intx);
    CHECK(rig.r(kIsr, 1) == 1);
    CHECK_FALSE(rig.up.intx);
    CHECK(rig.r(kIsr, 1) == 0); // read clears
}

TEST_CASE("virtio-pci: with MSI-X each queue sends its vector's message, NO_VECTOR none") {
    Rig rig;
    unsigned cap = rig.t->msix_capability();
    rig.t->config_write(cap + 2, 0x8000, 2); // enable
    rig.init(2);
    rig.msix(0x10, 0xdff41740); // vector 1: address low
    rig.msix(0x14, 0);
    rig.msix(0x18, 0x23);
    rig.msix(0x1c, 0); // unmask
    rig.w(common::kQueueSelect, 1, 2);
    rig.w(common::kQueueMsixVector, 1, 2);
    CHECK(rig.r(common::kQueueMsixVector, 2) == 1);
    rig.w(common::kQueueMsixVector, 7, 2); // no such vector
    CHECK(rig.r(common::kQueueMsixVector, 2) == kNoVector);
    rig.w(common::kQueueMsixVector, 1, 2);
    rig.request(1);
    REQUIRE(rig.up.messages.size() == 1);
    CHECK(rig.up.messages[0] == std::pair<uint64_t, uint32_t>{0xdff41740, 0x23});
    CHECK_FALSE(rig.up.intx);
    rig.w(common::kQueueSelect, 0, 2);
    rig.request(0); // queue 0 has NO_VECTOR
    CHECK(rig.up.messages.size() == 1);
}

TEST_CASE("virtio-pci: a masked vector waits in the PBA and fires when unmasked") {
    Rig rig;
    rig.t->config_write(rig.t->msix_capability() + 2, 0x8000, 2);
    rig.init(2);
    rig.msix(0x00, 0x1000);
    rig.msix(0x08, 0x7);
    rig.w(common::kQueueSelect, 0, 2);
    rig.w(common::kQueueMsixVector, 0, 2);
    rig.request(0);
    CHECK(rig.up.messages.empty());
    CHECK(__builtin_bswap32(static_cast<uint32_t>(rig.t->bar_read(kMsixBar, kPba, 4))) == 1);
    rig.msix(0x0c, 0);
    REQUIRE(rig.up.messages.size() == 1);
    CHECK(rig.up.messages[0].second == 7);
    CHECK(rig.t->bar_read(kMsixBar, kPba, 4) == 0);
}

TEST_CASE("virtio-pci: hostile accesses change nothing and crash nothing") {
    Rig rig;
    // Odd widths and offsets in the common structure are ignored.
    rig.w(common::kQueueSelect, 0, 4);
    rig.w(common::kDeviceStatus + 1, 0xff, 1);
    rig.w(common::kQueueSize + 1, 0xff, 1);
    CHECK(rig.r(common::kDeviceStatus, 1) == 0);
    // A queue that does not exist reads as absent and cannot be enabled or kicked.
    rig.w(common::kQueueSelect, 9, 2);
    CHECK(rig.r(common::kQueueSize, 2) == 0);
    rig.w(common::kQueueEnable, 1, 2);
    rig.w(kNotify + 4 * 9, 9, 2);
    rig.w(kNotify + 0xffc, 0, 4);
    // Enabling a queue with rings outside RAM marks the device broken.
    rig.w(common::kQueueSelect, 0, 2);
    rig.w(common::kQueueDesc, 0xfffff000, 4);
    rig.w(common::kQueueEnable, 1, 2);
    CHECK(rig.r(common::kDeviceStatus, 1) & kNeedsReset);
    // Other BARs, offsets past the regions, 16-byte widths.
    CHECK(rig.t->bar_read(0, 0, 4) == 0);
    CHECK(rig.t->bar_read(kRegisterBar, 0x3ffc, 4) == 0);
    rig.t->bar_write(kRegisterBar, 0, 0, 16);
    rig.t->bar_write(kMsixBar, 0x2, 0xffff, 2); // unaligned table write: dropped
    rig.t->bar_write(kMsixBar, 0x7fc, 0xffffffff, 4);
    CHECK(rig.t->bar_read(kMsixBar, 0x2, 2) == 0);
    // A reset brings the device back.
    rig.w(common::kDeviceStatus, 0, 1);
    CHECK(rig.r(common::kDeviceStatus, 1) == 0);
    rig.init(2);
}

TEST_CASE("virtio-pci: a VM reset clears BARs, MSI-X and the virtio state") {
    Rig rig;
    rig.t->config_write(pci::cfg::kBar0 + 4, 0xe0000000, 4);
    rig.t->config_write(rig.t->msix_capability() + 2, 0x8000, 2);
    rig.init(2);
    rig.t->reset();
    CHECK(rig.t->config_read(pci::cfg::kBar0 + 4, 4) == 0);
    CHECK(rig.t->config_read(rig.t->msix_capability() + 2, 2) == 2);
    CHECK(rig.r(common::kDeviceStatus, 1) == 0);
    CHECK(rig.echo->resets >= 1);
}
