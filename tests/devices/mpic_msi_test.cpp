// fsl-mpic-msi: MSIIR writes set bits and raise the register's source,
// reading MSIR returns and clears them, MSISR summarises; odd accesses are
// harmless.
#include <catch2/catch.hpp>

#include <map>

#include "devices/mpic_msi/msi.hpp"

using namespace vmc;
using devices::mpic_msi::Msi;

namespace {
struct Lines : vmm::IrqSink {
    std::map<uint32_t, bool> level;
    void set_irq(uint32_t source, bool l) override { level[source] = l; }
};

struct Rig {
    vmm::IrqRouter router;
    Lines lines;
    Msi msi{"msi", [this] {
                std::vector<vmm::IrqLine> v;
                for (uint32_t s = 224; s < 232; ++s)
                    v.emplace_back(&router, s);
                return v;
            }()};
    Rig() { router.connect(&lines); }
};
} // namespace

TEST_CASE("MPIC MSI: a message sets its bit and raises the register's source until read") {
    Rig r;
    // Linux's hwirq 0x23 (register 1, bit 3), written little-endian by the device.
    r.msi.mmio_write(Msi::kMsiir, 0x23000000, 4);
    CHECK(r.lines.level[225]);
    CHECK(r.msi.mmio_read(Msi::kMsisr, 4) == 0x2);
    r.msi.mmio_write(Msi::kMsiir, 0x25000000, 4);
    CHECK(r.msi.mmio_read(0x10, 4) == 0x28);
    CHECK_FALSE(r.lines.level[225]);
    CHECK(r.msi.mmio_read(0x10, 4) == 0);
    CHECK(r.msi.mmio_read(Msi::kMsisr, 4) == 0);
}

TEST_CASE("MPIC MSI: register 7 bit 31 is the highest message") {
    Rig r;
    r.msi.mmio_write(Msi::kMsiir, 0xff000000, 4);
    CHECK(r.lines.level[231]);
    CHECK(r.msi.mmio_read(0x70, 4) == 0x80000000);
}

TEST_CASE("MPIC MSI: odd widths and offsets neither set nor clear anything") {
    Rig r;
    r.msi.mmio_write(Msi::kMsiir, 0x01, 1);
    r.msi.mmio_write(Msi::kMsiir + 1, 0x01000000, 4);
    r.msi.mmio_write(0x00, 0xffffffff, 4); // MSIR is read-only
    CHECK(r.msi.mmio_read(Msi::kMsisr, 4) == 0);
    r.msi.mmio_write(Msi::kMsiir, 0x01000000, 4);
    CHECK(r.msi.mmio_read(0x00, 2) == 0); // a narrow read does not clear
    CHECK(r.msi.mmio_read(0x04, 4) == 0);
    CHECK(r.msi.mmio_read(0x1f0, 4) == 0);
    CHECK(r.msi.mmio_read(0x00, 4) == 2);
    r.msi.mmio_write(Msi::kMsiir, 0x01000000, 4);
    r.msi.reset();
    CHECK_FALSE(r.lines.level[224]);
    CHECK(r.msi.mmio_read(0x00, 4) == 0);
}
