// The ePAPR spin table: initial contents and release of secondary CPUs the
// way Linux's smp_85xx_kick_cpu writes an entry.
#include <catch2/catch.hpp>

#include "vmm/spin_table.hpp"
#include "vmm/vm.hpp"

using namespace vmc;

namespace {

struct RecordingStarter : vmm::CpuStarter {
    struct Start {
        unsigned cpu;
        vmm::CpuBootState state;
    };
    std::vector<Start> starts;
    void start_cpu(unsigned cpu, const vmm::CpuBootState& state) override {
        starts.push_back({cpu, state});
    }
};

model::Machine smp_machine(unsigned cpus) {
    model::Machine m;
    m.cpus = cpus;
    m.max_cpus = 4;
    m.memory = {0, 1 << 20};
    m.spin_table = {0xf'ef00'0000ull, 0x20};
    return m;
}

struct Fixture {
    model::Machine machine;
    vmm::Vm vm;
    vmm::SpinTable table;
    RecordingStarter starter;
    explicit Fixture(unsigned cpus)
        : machine(smp_machine(cpus)), vm(machine, {}), table(machine, vm) {
        vm.cpu_starter = &starter;
    }
    uint32_t r32(uint64_t off) { return static_cast<uint32_t>(table.mmio_read(off, 4)); }
    void w32(uint64_t off, uint32_t v) { table.mmio_write(off, v, 4); }
};

} // namespace

TEST_CASE("spin table entries start parked with their CPU number") {
    Fixture f(2);
    CHECK(f.table.size() == 4 * 0x20);
    for (unsigned n = 0; n < 4; ++n) {
        CHECK(f.r32(n * 0x20 + 0x0) == 0);
        CHECK(f.r32(n * 0x20 + 0x4) == 1);  // addr = 1: not released
        CHECK(f.r32(n * 0x20 + 0xc) == n);  // r3
        CHECK(f.r32(n * 0x20 + 0x14) == n); // pir
    }
    CHECK(f.table.mmio_read(0x20, 8) == 1); // 64-bit read of addr
    CHECK(f.table.mmio_read(0x27, 1) == 1); // its last byte
}

TEST_CASE("writing addr_lo last releases the CPU with QEMU's initial state") {
    Fixture f(2);
    f.w32(0x20 + 0x14, 1);           // pir
    f.w32(0x20 + 0x8, 0);            // r3_hi
    f.w32(0x20 + 0xc, 0x00c0'ffee);  // r3_lo
    f.w32(0x20 + 0x0, 0);            // addr_hi
    CHECK(f.starter.starts.empty()); // addr_lo still 1
    f.w32(0x20 + 0x4, 0x0500'1000);  // addr_lo: release
    REQUIRE(f.starter.starts.size() == 1);
    const auto& [cpu, s] = f.starter.starts[0];
    CHECK(cpu == 1);
    CHECK(s.running);
    CHECK(s.pir == 1);
    CHECK(s.msr == 0);
    CHECK(s.pc == 0x0100'1000); // offset of the entry in its 64 MiB block
    CHECK(s.gpr[3] == 0x00c0'ffee);
    CHECK(s.gpr[6] == 0);
    CHECK(s.gpr[7] == 64u << 20);
    REQUIRE(s.tlb1.size() == 1);
    CHECK(s.tlb1[0].index == 0);
    CHECK(s.tlb1[0].entry.mas1 == 0x80000800u);               // valid, 64 MiB
    CHECK(s.tlb1[0].entry.mas2 == 0x4u);                      // EPN 0, M
    CHECK(s.tlb1[0].entry.mas7_3 == (0x0400'0000ull | 0x3f)); // RPN 64 MiB, all permissions
    CHECK(f.r32(0x20 + 0x4) == 0x0500'1000);                  // the table keeps what was written
}

TEST_CASE("a 64-bit store of the entry address releases once") {
    Fixture f(3);
    f.table.mmio_write(2 * 0x20, 0x0000'0001'0000'2000ull, 8);
    REQUIRE(f.starter.starts.size() == 1);
    CHECK(f.starter.starts[0].cpu == 2);
    CHECK(f.starter.starts[0].state.tlb1[0].entry.mas7_3 == (0x1'0000'0000ull | 0x3f));
    f.w32(2 * 0x20 + 0x4, 0x2000); // rewriting the same address does not start it twice
    CHECK(f.starter.starts.size() == 1);
    f.w32(2 * 0x20 + 0x4, 1);      // parked again ...
    f.w32(2 * 0x20 + 0x4, 0x3000); // ... and released again
    CHECK(f.starter.starts.size() == 2);
}

TEST_CASE("the boot CPU and CPUs the machine does not have are never started") {
    Fixture f(2);
    f.w32(0x0 + 0x4, 0x1000);      // CPU 0 does not spin
    f.w32(3 * 0x20 + 0x4, 0x1000); // CPU 3 is beyond `cpus`
    CHECK(f.starter.starts.empty());
}

TEST_CASE("reset parks every entry again") {
    Fixture f(2);
    f.w32(0x20 + 0x4, 0x1000);
    REQUIRE(f.starter.starts.size() == 1);
    f.table.reset();
    CHECK(f.r32(0x20 + 0x4) == 1);
    f.w32(0x20 + 0x4, 0x1000);
    CHECK(f.starter.starts.size() == 2);
}

TEST_CASE("accesses past the table read 0 and are ignored") {
    Fixture f(2);
    CHECK(f.table.mmio_read(4 * 0x20, 4) == 0);
    f.table.mmio_write(4 * 0x20 - 2, 0xffff'ffff, 4);
    CHECK(f.starter.starts.empty());
}
