// The fsl,mpc8540-pci host bridge: configuration cycles as Linux's
// indirect_pci issues them (CFG_ADDR big-endian, CFG_DATA little-endian),
// BAR decoding in the memory and I/O windows, INTx swizzling and wired-OR,
// bus-master writes through PCICSRBAR, and malformed accesses.
#include <catch2/catch.hpp>

#include <map>

#include "devices/pci/fsl_pci_bridge.hpp"

using namespace vmc;
using namespace vmc::devices::pci;

namespace {

struct Lines : vmm::IrqSink {
    std::map<uint32_t, bool> level;
    void set_irq(uint32_t source, bool l) override { level[source] = l; }
};

// A function with a 4 KiB memory BAR 0 and a 32-byte I/O BAR 1 that echo the
// last write, and an INTA pin the test drives.
struct Probe : Function {
    uint64_t last_offset = 0, last_value = 0;
    unsigned last_bar = 99;
    Probe() : Function(Identity{0x1af4, 0x1041, 0x020000, 1, 0, 0, 1}) {
        config().add_bar(0, BarInfo{BarKind::Memory32, 0x1000, false});
        config().add_bar(1, BarInfo{BarKind::Io, 0x20, false});
    }
    uint64_t bar_read(unsigned bar, uint64_t offset, unsigned) override {
        return bar * 0x1000 + offset;
    }
    void bar_write(unsigned bar, uint64_t offset, uint64_t value, unsigned) override {
        last_bar = bar;
        last_offset = offset;
        last_value = value;
    }
    void interrupt(bool level) { set_intx(level); }
    void master_write(uint64_t address, uint32_t value) { bus_write32(address, value); }
};

// A register block standing in for CCSR, recording big-endian writes.
struct Csr : vmm::MmioHandler {
    uint64_t offset = 0, value = 0;
    uint64_t mmio_read(uint64_t, unsigned) override { return 0; }
    void mmio_write(uint64_t o, uint64_t v, unsigned) override {
        offset = o;
        value = v;
    }
};

BridgeLayout layout() {
    BridgeLayout l;
    l.memory = Window{0xc'0000'0000ull, 0xe0000000, 0x20000000};
    l.io = Window{0xf'e100'0000ull, 0, 0x10000};
    l.csr_base = 0xf'e000'0000ull;
    l.intx = {1, 2, 3, 4};
    return l;
}

struct Rig {
    vmm::MmioBus bus;
    vmm::GuestRam ram{0, 1 << 20};
    vmm::IrqRouter irq;
    Lines lines;
    Csr csr;
    FslPciBridge bridge{"pci", layout(), bus, ram, irq};
    Probe probe;

    Rig() {
        irq.connect(&lines);
        bus.add(0xf'e000'0000ull, 0x100000, &csr, "ccsr");
        bridge.plug(1, probe);
    }
    static uint32_t address(unsigned dev, unsigned reg) {
        return 0x80000000u | (dev << 11) | (reg & 0xfc);
    }
    // out_be32(cfg_addr); in_le32/in_le16/in_8(cfg_data + (reg & 3)).
    uint32_t cfg_read(unsigned dev, unsigned reg, unsigned size) {
        bridge.mmio_write(0x000, address(dev, reg), 4);
        uint64_t v = bridge.mmio_read(0x004 + (reg & 3), size);
        return size == 4   ? __builtin_bswap32(static_cast<uint32_t>(v))
               : size == 2 ? __builtin_bswap16(static_cast<uint16_t>(v))
                           : static_cast<uint32_t>(v);
    }
    void cfg_write(unsigned dev, unsigned reg, uint32_t value, unsigned size) {
        bridge.mmio_write(0x000, address(dev, reg), 4);
        uint64_t v = size == 4   ? __builtin_bswap32(value)
                     : size == 2 ? __builtin_bswap16(static_cast<uint16_t>(value))
                                 : value;
        bridge.mmio_write(0x004 + (reg & 3), v, size);
    }
};

} // namespace

TEST_CASE("PCI bridge: configuration cycles reach the bridge itself and the plugged function") {
    Rig r;
    CHECK(r.cfg_read(0, 0x00, 4) == 0x00301957);
    CHECK(r.cfg_read(0, 0x0b, 1) == 0x0b); // class: processor
    CHECK(r.cfg_read(1, 0x00, 4) == 0x10411af4);
    CHECK(r.cfg_read(1, 0x02, 2) == 0x1041);
    CHECK(r.cfg_read(1, 0x3d, 1) == 1);
    CHECK(r.bridge.mmio_read(0x000, 4) == Rig::address(1, 0x3c)); // CFG_ADDR reads back
}

TEST_CASE("PCI bridge: empty slots, other buses and functions read all ones") {
    Rig r;
    CHECK(r.cfg_read(2, 0x00, 4) == 0xffffffff);
    CHECK(r.cfg_read(31, 0x00, 2) == 0xffff);
    r.bridge.mmio_write(0x000, 0x80010800u, 4); // bus 1
    CHECK(r.bridge.mmio_read(0x004, 4) == 0xffffffff);
    r.bridge.mmio_write(0x000, 0x80000900u, 4); // slot 1, function 1
    CHECK(r.bridge.mmio_read(0x004, 4) == 0xffffffff);
    r.bridge.mmio_write(0x000, 0x00000800u, 4); // enable bit clear
    CHECK(r.bridge.mmio_read(0x004, 4) == 0xffffffff);
    r.cfg_write(2, 0x04, 0xffff, 2); // nobody there: dropped without harm
}

TEST_CASE("PCI bridge: PCICSRBAR sizes as Linux's setup_pci_atmu expects") {
    Rig r;
    r.cfg_write(0, 0x10, 0xffffffff, 4);
    uint32_t size = ~r.cfg_read(0, 0x10, 4) + 1;
    CHECK(size == 0x100000);
    r.cfg_write(0, 0x10, 0xdff00000, 4);
    CHECK(r.cfg_read(0, 0x10, 4) == 0xdff00000);
}

TEST_CASE("PCI bridge: assigned BARs decode in the memory and I/O windows") {
    Rig r;
    auto& mem = r.bridge.memory_window();
    auto& io = r.bridge.io_window();
    CHECK(mem.mmio_read(0x4c000, 4) == 0xffffffff); // nothing assigned yet
    r.cfg_write(1, 0x10, 0xe004c000, 4);
    r.cfg_write(1, 0x14, 0x10c0, 4);
    CHECK(mem.mmio_read(0x4c000, 4) == 0xffffffff); // decoding still off
    r.cfg_write(1, 0x04, cfg::kCommandMemory | cfg::kCommandIo, 2);
    CHECK(mem.mmio_read(0x4c010, 4) == 0x10);
    CHECK(io.mmio_read(0x10c4, 2) == 0x1004);
    mem.mmio_write(0x4c020, 0x1234, 4);
    CHECK(r.probe.last_bar == 0);
    CHECK(r.probe.last_offset == 0x20);
    CHECK(r.probe.last_value == 0x1234);
    // An access running off the end of the BAR is not the BAR's.
    CHECK(mem.mmio_read(0x4cffe, 4) == 0xffffffff);
    CHECK(io.mmio_read(0x10e0, 1) == 0xff);
}

TEST_CASE("PCI bridge: INTx follows QEMU's swizzle and is wired-OR per source") {
    Rig r;
    Probe other;
    r.bridge.plug(5, other);
    CHECK(r.bridge.intx_source(1, 1) == 2);
    CHECK(r.bridge.intx_source(1, 4) == 1);
    CHECK(r.bridge.intx_source(4, 1) == 1);
    CHECK(r.bridge.intx_source(5, 1) == 2); // shares slot 1's INTA source
    r.probe.interrupt(true);
    CHECK(r.lines.level[2]);
    other.interrupt(true);
    r.probe.interrupt(false);
    CHECK(r.lines.level[2]); // slot 5 still asserts
    other.interrupt(false);
    CHECK_FALSE(r.lines.level[2]);
}

TEST_CASE("PCI bridge: INTx disable masks the pin and status still shows it") {
    Rig r;
    r.probe.interrupt(true);
    CHECK(r.lines.level[2]);
    r.cfg_write(1, 0x04, cfg::kCommandIntxDisable, 2);
    CHECK_FALSE(r.lines.level[2]);
    CHECK((r.cfg_read(1, 0x06, 2) & cfg::kStatusIntx) != 0);
    r.cfg_write(1, 0x04, 0, 2);
    CHECK(r.lines.level[2]);
}

TEST_CASE("PCI bridge: bus-master writes reach CCSR through PCICSRBAR, RAM otherwise") {
    Rig r;
    r.cfg_write(0, 0x10, 0xdff00000, 4);
    r.probe.master_write(0xdff41740, 0x23); // bus mastering is off: dropped
    CHECK(r.csr.value == 0);
    r.cfg_write(1, 0x04, cfg::kCommandMaster, 2);
    r.probe.master_write(0xdff41740, 0x23);
    CHECK(r.csr.offset == 0x41740);
    CHECK(r.csr.value == 0x23000000); // little-endian bytes on a big-endian register
    r.probe.master_write(0x1000, 0x11223344);
    CHECK(r.ram.read_be(0x1000, 4) == 0x44332211u);
    r.probe.master_write(0xfffffffc, 1); // outside everything: dropped
}

TEST_CASE("PCI bridge: plugging into a taken or missing slot is refused") {
    Rig r;
    Probe other;
    CHECK_THROWS(r.bridge.plug(1, other));
    CHECK_THROWS(r.bridge.plug(0, other));
    CHECK_THROWS(r.bridge.plug(32, other));
}

TEST_CASE("PCI bridge: ATMU registers read back, odd widths and offsets are harmless") {
    Rig r;
    r.bridge.mmio_write(0xc28, 0x000e0000, 4); // POWBAR1
    CHECK(r.bridge.mmio_read(0xc28, 4) == 0x000e0000);
    CHECK(r.bridge.mmio_read(0xc29, 1) == 0x0e);
    r.bridge.mmio_write(0xc2b, 0x12, 1);
    CHECK(r.bridge.mmio_read(0xc28, 4) == 0x000e0012);
    CHECK(r.bridge.mmio_read(0xc2a, 4) == 0);  // crosses a register
    CHECK(r.bridge.mmio_read(0x2000, 4) == 0); // outside the block
    r.bridge.mmio_write(0x006, 0xffff, 4);     // crosses CFG_DATA's end: dropped
    r.bridge.mmio_read(0x004, 8);
    r.bridge.reset();
    CHECK(r.bridge.mmio_read(0xc28, 4) == 0);
}
