#include <catch2/catch.hpp>

#include <stdexcept>

#include "engine/emu/mmu.hpp"

using namespace vmc::emu;
using Fault = Translation::Fault;

namespace {

constexpr uint32_t mas0(uint32_t tlbsel, uint32_t esel, uint32_t nv = 0) {
    return (tlbsel << 28) | (esel << 16) | nv;
}
constexpr uint32_t mas1(uint32_t tid, bool ts, uint32_t tsize, bool iprot = false) {
    return 0x80000000u | (iprot ? 0x40000000u : 0) | (tid << 16) | (ts ? 0x1000u : 0) |
           (tsize << 7);
}

Mmu make_mmu() {
    return Mmu(vmc::model::CpuModel{});
}

void write(Mmu& mmu, uint32_t m0, uint32_t m1, uint32_t m2, uint32_t m3, uint32_t m7 = 0) {
    MasRegisters mas;
    mas.mas0 = m0;
    mas.mas1 = m1;
    mas.mas2 = m2;
    mas.mas3 = m3;
    mas.mas7 = m7;
    REQUIRE(mmu.tlbwe(mas));
}

} // namespace

TEST_CASE("the loader's initial TLB1 entry maps the first 64 MiB one to one") {
    Mmu mmu = make_mmu();
    mmu.set_tlb1(0, vmc::vmm::TlbEntry{0, 0x80000800u, 0, 0x3f});
    auto t = mmu.translate(0x03ff'fffc, Access::Read, false, false, 0);
    CHECK(t.fault == Fault::None);
    CHECK(t.pa == 0x03ff'fffc);
    CHECK(t.page_mask == 0x03ff'ffff);
    CHECK(mmu.translate(0x0400'0000, Access::Read, false, false, 0).fault == Fault::Miss);
    CHECK(mmu.translate(0x100, Access::Execute, true, false, 0).fault == Fault::Miss); // AS 1
}

TEST_CASE("every power-of-4 TLB1 page size translates its last byte and not the next") {
    for (uint32_t tsize = 2; tsize <= 22; tsize += 2) {
        Mmu mmu = make_mmu();
        uint64_t size = uint64_t{1024} << tsize;
        uint32_t epn = tsize == 22 ? 0 : 0x4000'0000u & ~static_cast<uint32_t>(size - 1);
        write(mmu, mas0(1, 3), mas1(0, false, tsize), epn, 0x3f, 0x1);
        auto last =
            mmu.translate(static_cast<uint32_t>(epn + size - 1), Access::Read, false, false, 0);
        INFO("tsize " << tsize);
        CHECK(last.fault == Fault::None);
        CHECK(last.pa == 0x1'0000'0000ull + size - 1);
        if (tsize < 22)
            CHECK(mmu.translate(static_cast<uint32_t>(epn + size), Access::Read, false, false, 0)
                      .fault == Fault::Miss);
    }
}

TEST_CASE("MAS7 supplies the upper bits of a 36-bit physical address") {
    Mmu mmu = make_mmu();
    write(mmu, mas0(1, 1), 0xc0000500u, 0xe000000au, 0xe0000005u, 0xf);
    auto t = mmu.translate(0xe000'4505, Access::Write, false, false, 0);
    REQUIRE(t.fault == Fault::None);
    CHECK(t.pa == 0xf'e000'4505ull);
    CHECK(t.wimge == 0x0a);
}

TEST_CASE("permissions follow MSR[PR]: user and supervisor read, write, execute") {
    struct Case {
        uint32_t perms;
        Access access;
        bool pr;
        bool allowed;
    } cases[] = {
        {0x01, Access::Read, false, true},    {0x01, Access::Read, true, false},
        {0x02, Access::Read, true, true},     {0x02, Access::Read, false, false},
        {0x04, Access::Write, false, true},   {0x04, Access::Write, true, false},
        {0x08, Access::Write, true, true},    {0x10, Access::Execute, false, true},
        {0x10, Access::Execute, true, false}, {0x20, Access::Execute, true, true},
        {0x3f, Access::Write, true, true},    {0x15, Access::Write, true, false},
    };
    for (const auto& c : cases) {
        Mmu mmu = make_mmu();
        write(mmu, mas0(0, 0), mas1(0, false, 2), 0x1000'0000u, 0x0020'0000u | c.perms);
        auto t = mmu.translate(0x1000'0010, c.access, false, c.pr, 0);
        INFO("perms " << c.perms << " pr " << c.pr);
        CHECK((t.fault == Fault::None) == c.allowed);
        if (!c.allowed) CHECK(t.fault == Fault::Permission);
    }
}

TEST_CASE("TID 0 matches every PID, other TIDs only their own; TS selects the address space") {
    Mmu mmu = make_mmu();
    write(mmu, mas0(0, 0), mas1(5, false, 2), 0x2000'0000u, 0x0010'003fu);
    write(mmu, mas0(0, 1), mas1(0, true, 2), 0x2000'1000u, 0x0011'003fu);
    CHECK(mmu.translate(0x2000'0000, Access::Read, false, false, 5).pa == 0x0010'0000);
    CHECK(mmu.translate(0x2000'0000, Access::Read, false, false, 6).fault == Fault::Miss);
    CHECK(mmu.translate(0x2000'1000, Access::Read, true, false, 9).pa == 0x0011'0000);
    CHECK(mmu.translate(0x2000'1000, Access::Read, false, false, 9).fault == Fault::Miss);
}

TEST_CASE("TLB0 places entries by set and way, forces 4 KiB and drops IPROT") {
    Mmu mmu = make_mmu();
    for (uint32_t way = 0; way < 4; ++way)
        write(mmu, mas0(0, way), mas1(0, false, 10, true), 0x0030'0000u + way * 0x80000u,
              0x0100'0000u + way * 0x1000u | 0x3f);
    // all four share set 0x300 & 127 = 0
    for (uint32_t way = 0; way < 4; ++way) {
        const auto& e = mmu.tlb0()[0 * 4 + way];
        CHECK((e.mas1 & 0x40000000u) == 0);
        CHECK(((e.mas1 >> 7) & 0x1f) == 2);
    }
    CHECK(mmu.translate(0x0038'0000u, Access::Read, false, false, 0).pa == 0x0100'1000u);
    CHECK(mmu.translate(0x0038'1000u, Access::Read, false, false, 0).fault == Fault::Miss);
}

TEST_CASE("tlbsx finds an entry and fills MAS; a miss loads the MAS4 defaults with V clear") {
    Mmu mmu = make_mmu();
    write(mmu, mas0(1, 7), mas1(3, false, 10, true), 0xc000'0000u, 0x0000'0015u);
    MasRegisters mas;
    mas.mas6 = (3u << 16);
    mmu.tlbsx(0xc001'2345, mas);
    CHECK(mas.mas0 == mas0(1, 7));
    CHECK(mas.mas1 == mas1(3, false, 10, true));
    CHECK(mas.mas2 == 0xc000'0000u);
    CHECK(mas.mas3 == 0x15u);

    MasRegisters miss;
    miss.mas4 = (2u << 7) | 0x04; // TLBSELD 0, TSIZED 4 KiB, M
    miss.mas6 = (9u << 16) | 1;
    mmu.tlbsx(0x5000'1234, miss);
    CHECK((miss.mas1 & 0x80000000u) == 0);
    CHECK(((miss.mas1 >> 16) & 0x3fff) == 9);
    CHECK((miss.mas1 & 0x1000u) != 0);
    CHECK(miss.mas2 == (0x5000'1000u | 0x04));
    CHECK(miss.mas3 == 0);
}

TEST_CASE("a TLB miss exception loads MAS0-2 and MAS6 from the faulting access") {
    Mmu mmu = make_mmu();
    MasRegisters mas;
    mas.mas4 = (2u << 7) | 0x0a;
    mmu.load_miss_defaults(mas, 0x7654'3210, true, 42);
    CHECK((mas.mas0 >> 28) == 0);
    CHECK(mas.mas1 == mas1(42, true, 2));
    CHECK(mas.mas2 == (0x7654'3000u | 0x0a));
    CHECK(mas.mas6 == ((42u << 16) | 1));
}

TEST_CASE("tlbre reads back what tlbwe wrote") {
    Mmu mmu = make_mmu();
    write(mmu, mas0(1, 12), mas1(0, false, 14), 0x8000'0000u, 0x1000'003fu, 0x3);
    MasRegisters mas;
    mas.mas0 = mas0(1, 12);
    mmu.tlbre(mas);
    CHECK(mas.mas1 == mas1(0, false, 14));
    CHECK(mas.mas2 == 0x8000'0000u);
    CHECK(mas.mas3 == 0x1000'003fu);
    CHECK(mas.mas7 == 0x3);
}

TEST_CASE("IPROT entries survive tlbivax, tlbilx and flash invalidation") {
    Mmu mmu = make_mmu();
    write(mmu, mas0(1, 0), mas1(0, false, 16, true), 0xc000'0000u, 0x15u);
    write(mmu, mas0(1, 1), mas1(0, false, 16), 0xd000'0000u, 0x15u);
    write(mmu, mas0(0, 0), mas1(4, false, 2), 0x1000'0000u, 0x15u);
    mmu.tlbivax(0xc000'0000u | 0x8);
    mmu.tlbivax(0xd000'0000u | 0x8);
    CHECK(mmu.translate(0xc000'0000u, Access::Read, false, false, 0).fault == Fault::None);
    CHECK(mmu.translate(0xd000'0000u, Access::Read, false, false, 0).fault == Fault::Miss);
    mmu.tlbilx(1, 4, 0, false);
    CHECK(mmu.translate(0x1000'0000u, Access::Read, false, false, 4).fault == Fault::Miss);
    write(mmu, mas0(1, 1), mas1(0, false, 16), 0xd000'0000u, 0x15u);
    mmu.flash_invalidate(true, true);
    CHECK(mmu.translate(0xc000'0000u, Access::Read, false, false, 0).fault == Fault::None);
    CHECK(mmu.translate(0xd000'0000u, Access::Read, false, false, 0).fault == Fault::Miss);
}

TEST_CASE("every change moves the generation so cached translations can be dropped") {
    Mmu mmu = make_mmu();
    auto g = mmu.generation();
    write(mmu, mas0(0, 0), mas1(0, false, 2), 0, 0x3f);
    CHECK(mmu.generation() != g);
    g = mmu.generation();
    mmu.tlbilx(0, 0, 0, false);
    CHECK(mmu.generation() != g);
}

TEST_CASE("configuration registers describe the e500mc TLBs") {
    Mmu mmu = make_mmu();
    CHECK(mmu.tlb0cfg() == 0x04110200u); // QEMU 7.2 reports the same
    CHECK(mmu.tlb1cfg() == 0x401cc040u);
    // QEMU 7.2 reads MMUCFG as 0; the e500mc reports RASIZE 36, one 8-bit PID, two TLBs.
    CHECK(mmu.mmucfg() == 0x004809c4u);
}

TEST_CASE("tlbwe rejects an out-of-range TLB1 entry and TLBSEL values above 1") {
    Mmu mmu = make_mmu();
    MasRegisters mas;
    mas.mas0 = mas0(1, 64);
    CHECK_FALSE(mmu.tlbwe(mas));
    mas.mas0 = mas0(2, 0);
    CHECK_FALSE(mmu.tlbwe(mas));
}

TEST_CASE("geometry the core cannot have is refused before any array is sized") {
    vmc::model::CpuModel fewer_entries_than_ways;
    fewer_entries_than_ways.tlb0_entries = 2;
    fewer_entries_than_ways.tlb0_ways = 4;
    CHECK_THROWS_AS(Mmu(fewer_entries_than_ways), std::invalid_argument);
    vmc::model::CpuModel no_tlb1;
    no_tlb1.tlb1_entries = 0;
    CHECK_THROWS_AS(Mmu(no_tlb1), std::invalid_argument);
}

TEST_CASE("the e5500 matches 64-bit effective addresses and has 40-bit real addresses") {
    vmc::model::CpuModel e5500;
    e5500.name = "e5500";
    Mmu mmu(e5500);
    // TLB1[1]: EA 0xc000000000000000 (1 GiB) -> PA 0xa_0000_0000 (MAS7 = 0xa).
    MasRegisters mas;
    mas.mas0 = mas0(1, 1);
    mas.mas1 = mas1(0, false, 20);
    mas.mas2 = 0xc000000000000000ull;
    mas.mas3 = 0x15;
    mas.mas7 = 0xa;
    REQUIRE(mmu.tlbwe(mas));
    auto t = mmu.translate(0xc000000000001234ull, Access::Read, false, false, 0);
    CHECK(t.fault == Fault::None);
    CHECK(t.pa == 0xa00001234ull);
    // The same low word with other upper bits is another address.
    CHECK(mmu.translate(0x0000000000001234ull, Access::Read, false, false, 0).fault == Fault::Miss);
    CHECK((mmu.mmucfg() >> 17) == 40);
}
