// PCI configuration space: identity, BAR sizing and assignment, write masks,
// write-one-to-clear status, capability lists, out-of-range accesses.
#include <catch2/catch.hpp>

#include <array>

#include "devices/pci/config_space.hpp"

using namespace vmc::devices::pci;

namespace {
ConfigSpace make() {
    return ConfigSpace(Identity{0x1af4, 0x1042, 0x010000, 1, 0x1af4, 0x1100, 1});
}
} // namespace

TEST_CASE("PCI config space: the identity reads back little-endian at every width") {
    ConfigSpace c = make();
    CHECK(c.read(cfg::kVendorId, 4) == 0x10421af4);
    CHECK(c.read(cfg::kVendorId, 2) == 0x1af4);
    CHECK(c.read(cfg::kDeviceId + 1, 1) == 0x10);
    CHECK(c.read(cfg::kRevision, 4) == 0x01000001); // revision 1, class 01 00 00
    CHECK(c.read(cfg::kSubsystemVendorId, 4) == 0x11001af4);
    CHECK(c.interrupt_pin() == 1);
}

TEST_CASE("PCI config space: read-only fields ignore writes") {
    ConfigSpace c = make();
    c.write(cfg::kVendorId, 0xdeadbeef, 4);
    c.write(cfg::kRevision, 0xffffffff, 4);
    c.write(cfg::kInterruptPin, 4, 1);
    CHECK(c.read(cfg::kVendorId, 4) == 0x10421af4);
    CHECK(c.read(cfg::kRevision, 4) == 0x01000001);
    CHECK(c.interrupt_pin() == 1);
    c.write(cfg::kInterruptLine, 0x2a, 1);
    CHECK(c.read(cfg::kInterruptLine, 1) == 0x2a);
}

TEST_CASE("PCI config space: command keeps only the decode, master and INTx-disable bits") {
    ConfigSpace c = make();
    c.write(cfg::kCommand, 0xffff, 2);
    CHECK(c.command() ==
          (cfg::kCommandIo | cfg::kCommandMemory | cfg::kCommandMaster | cfg::kCommandIntxDisable));
    CHECK(c.intx_disabled());
    CHECK(c.bus_master());
}

TEST_CASE("PCI config space: status error bits are write-one-to-clear, INTx status read-only") {
    ConfigSpace c = make();
    c.set_intx_status(true);
    c.write(cfg::kStatus, 0xffff, 2); // clears nothing that is set, cannot clear INTx
    CHECK((c.read(cfg::kStatus, 2) & cfg::kStatusIntx) != 0);
    c.set_intx_status(false);
    CHECK((c.read(cfg::kStatus, 2) & cfg::kStatusIntx) == 0);
}

TEST_CASE("PCI config space: a 32-bit memory BAR is sized by writing all ones") {
    ConfigSpace c = make();
    c.add_bar(1, BarInfo{BarKind::Memory32, 0x1000, false});
    c.write(cfg::kBar0 + 4, 0xffffffff, 4);
    CHECK(c.read(cfg::kBar0 + 4, 4) == 0xfffff000);
    c.write(cfg::kBar0 + 4, 0xe0001234, 4); // low bits below the size are not kept
    CHECK(c.read(cfg::kBar0 + 4, 4) == 0xe0001000);
    CHECK_FALSE(c.bar_address(1)); // memory decoding is off
    c.write(cfg::kCommand, cfg::kCommandMemory, 2);
    CHECK(c.bar_address(1) == 0xe0001000u);
    CHECK_FALSE(c.bar_address(0)); // not a BAR
}

TEST_CASE("PCI config space: a 64-bit prefetchable BAR spans two registers") {
    ConfigSpace c = make();
    c.add_bar(4, BarInfo{BarKind::Memory64, 0x4000, true});
    CHECK(c.read(cfg::kBar0 + 16, 4) == 0xc); // 64-bit, prefetchable
    c.write(cfg::kBar0 + 16, 0xffffffff, 4);
    c.write(cfg::kBar0 + 20, 0xffffffff, 4);
    CHECK(c.read(cfg::kBar0 + 16, 4) == 0xffffc00c);
    CHECK(c.read(cfg::kBar0 + 20, 4) == 0xffffffff);
    c.write(cfg::kBar0 + 16, 0x00044000, 4);
    c.write(cfg::kBar0 + 20, 0x0000000c, 4);
    c.write(cfg::kCommand, cfg::kCommandMemory, 2);
    CHECK(c.bar_address(4) == 0xc'0004'4000ull);
}

TEST_CASE("PCI config space: an I/O BAR keeps its flag and decodes with the I/O bit") {
    ConfigSpace c = make();
    c.add_bar(0, BarInfo{BarKind::Io, 0x20, false});
    c.write(cfg::kBar0, 0xffffffff, 4);
    CHECK(c.read(cfg::kBar0, 4) == 0xffffffe1);
    c.write(cfg::kBar0, 0x10c0, 4);
    c.write(cfg::kCommand, cfg::kCommandMemory, 2);
    CHECK_FALSE(c.bar_address(0));
    c.write(cfg::kCommand, cfg::kCommandIo, 2);
    CHECK(c.bar_address(0) == 0x10c0u);
}

TEST_CASE("PCI config space: BARs that cannot exist are refused") {
    ConfigSpace c = make();
    CHECK_THROWS(c.add_bar(5, BarInfo{BarKind::Memory64, 0x1000, false}));
    CHECK_THROWS(c.add_bar(0, BarInfo{BarKind::Memory32, 0x1800, false}));
    CHECK_THROWS(c.add_bar(6, BarInfo{BarKind::Memory32, 0x1000, false}));
    c.add_bar(2, BarInfo{BarKind::Memory32, 0x1000, false});
    CHECK_THROWS(c.add_bar(2, BarInfo{BarKind::Memory32, 0x1000, false}));
}

TEST_CASE("PCI config space: capabilities chain from 0x34 and only marked bits are writable") {
    ConfigSpace c = make();
    const std::array<uint8_t, 2> body{0x12, 0x34}, writable{0x00, 0xf0};
    unsigned first = c.add_capability(0x11, body, writable);
    unsigned second = c.add_capability(0x09, body);
    CHECK((c.read(cfg::kStatus, 2) & cfg::kStatusCapList) != 0);
    CHECK(c.read(cfg::kCapabilities, 1) == first);
    CHECK(c.read(first, 1) == 0x11);
    CHECK(c.read(first + 1, 1) == second);
    CHECK(c.read(second + 1, 1) == 0);
    c.write(first + 2, 0xffff, 2);
    CHECK(c.read(first + 2, 2) == 0xf412);
    c.write(second + 2, 0xffff, 2);
    CHECK(c.read(second + 2, 2) == 0x3412);
}

TEST_CASE("PCI config space: accesses past the end read zero and write nothing") {
    ConfigSpace c = make();
    c.write(254, 0xffffffff, 4);
    CHECK(c.read(254, 4) == 0);
    CHECK(c.read(300, 4) == 0);
    c.write(1000, 0xffffffff, 4); // no effect, no crash
    CHECK(c.read(cfg::kVendorId, 4) == 0x10421af4);
}

TEST_CASE("PCI config space: reset restores power-on values") {
    ConfigSpace c = make();
    c.add_bar(1, BarInfo{BarKind::Memory32, 0x1000, false});
    c.write(cfg::kBar0 + 4, 0xe0000000, 4);
    c.write(cfg::kCommand, 7, 2);
    c.write(cfg::kInterruptLine, 9, 1);
    c.reset();
    CHECK(c.read(cfg::kBar0 + 4, 4) == 0);
    CHECK(c.command() == 0);
    CHECK(c.read(cfg::kInterruptLine, 1) == 0);
    CHECK(c.read(cfg::kVendorId, 2) == 0x1af4);
}
