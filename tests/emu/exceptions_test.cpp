// Exception entry state (SRR0/SRR1/ESR/DEAR/MSR and the vector) and
// memory access forms.
#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace vmc::emu;
using namespace vmc::emu::test;

namespace {
constexpr uint32_t kIvpr = 0x00100000;
void set_vectors(Core& c) {
    c.s.ivpr = kIvpr;
    for (unsigned n = 0; n < c.s.ivor.size(); ++n)
        c.s.ivor[n] = 0x100 + 0x20 * n;
}
uint32_t vector(Ivor v) {
    return kIvpr + 0x100 + 0x20 * static_cast<unsigned>(v);
}
} // namespace

TEST_CASE("illegal instruction: program interrupt with ESR[PIL], SRR0 at the instruction",
          "[emu][exceptions]") {
    if (!have_assembler()) return;
    TestVm t;
    t.load("nop\n.long 0x7c6300f4"); // popcntb
    Core& c = t.cpu();
    set_vectors(c);
    c.msr = msr::CE | msr::ME | msr::EE | msr::DE;
    REQUIRE(t.run_to(vector(Ivor::Program)));
    CHECK(c.s.srr0 == TestVm::kCodeBase + 4);
    CHECK(c.s.srr1 == (msr::CE | msr::ME | msr::EE | msr::DE));
    CHECK(c.s.esr == esr::PIL);
    CHECK(c.msr == (msr::CE | msr::ME | msr::DE)); // base class keeps CE, ME, DE
}

TEST_CASE("sc: SRR0 is the next instruction; rfi returns with SRR1", "[emu][exceptions]") {
    if (!have_assembler()) return;
    TestVm t;
    uint32_t end = t.load("li r3,1\nsc\nli r4,2");
    Core& c = t.cpu();
    set_vectors(c);
    c.msr = msr::PR | msr::EE;
    // Handler at the system-call vector: rfi straight back.
    t.write32(vector(Ivor::SystemCall), 0x4c000064);
    REQUIRE(t.run_to(vector(Ivor::SystemCall)));
    CHECK(c.s.srr0 == TestVm::kCodeBase + 8);
    CHECK(c.s.srr1 == (msr::PR | msr::EE));
    CHECK(c.msr == 0);
    REQUIRE(t.run_to(end));
    CHECK(c.msr == (msr::PR | msr::EE));
    CHECK(c.gpr[4] == 2);
}

TEST_CASE("privileged instruction and privileged SPR from user mode: ESR[PPR]",
          "[emu][exceptions]") {
    if (!have_assembler()) return;
    for (const char* insn : {"mfmsr r3", "mtspr 272,r3", "mfspr r3,26", "tlbwe", "wrteei 1"}) {
        TestVm t;
        t.load(insn);
        Core& c = t.cpu();
        set_vectors(c);
        c.msr = msr::PR;
        INFO(insn);
        REQUIRE(t.run_to(vector(Ivor::Program)));
        CHECK(c.s.esr == esr::PPR);
        CHECK(c.s.srr0 == TestVm::kCodeBase);
    }
}

TEST_CASE("unknown SPR from supervisor mode is illegal", "[emu][exceptions]") {
    if (!have_assembler()) return;
    TestVm t;
    t.load("mfspr r3,1000");
    Core& c = t.cpu();
    set_vectors(c);
    REQUIRE(t.run_to(vector(Ivor::Program)));
    CHECK(c.s.esr == esr::PIL);
}

TEST_CASE("data TLB miss: DEAR, ESR[ST], MAS defaults, SRR0 at the store", "[emu][exceptions]") {
    if (!have_assembler()) return;
    TestVm t;
    t.load("lis r4,0x5000\nstw r3,8(r4)");
    Core& c = t.cpu();
    set_vectors(c);
    c.mas.mas4 = 0x10000100; // TLBSELD=1, TSIZED=1
    REQUIRE(t.run_to(vector(Ivor::DataTlbError)));
    CHECK(c.s.dear == 0x50000008);
    CHECK(c.s.esr == esr::ST);
    CHECK(c.s.srr0 == TestVm::kCodeBase + 4);
    CHECK((c.mas.mas2 & 0xfffff000) == 0x50000000);
    CHECK((c.mas.mas1 & 0x80000000) != 0);
}

TEST_CASE("instruction TLB miss: SRR0 is the unmapped target", "[emu][exceptions]") {
    if (!have_assembler()) return;
    TestVm t;
    t.load("lis r4,0x5000\nmtctr r4\nbctr");
    Core& c = t.cpu();
    set_vectors(c);
    REQUIRE(t.run_to(vector(Ivor::InstTlbError)));
    CHECK(c.s.srr0 == 0x50000000);
}

TEST_CASE("misaligned lwarx: alignment interrupt with DEAR", "[emu][exceptions]") {
    if (!have_assembler()) return;
    TestVm t;
    t.load("li r4,0x2002\nlwarx r3,0,r4");
    Core& c = t.cpu();
    set_vectors(c);
    REQUIRE(t.run_to(vector(Ivor::Alignment)));
    CHECK(c.s.dear == 0x2002);
    CHECK(c.s.srr0 == TestVm::kCodeBase + 4);
}

TEST_CASE("FP instruction with MSR[FP]=0: FP unavailable", "[emu][exceptions]") {
    if (!have_assembler()) return;
    TestVm t;
    t.load("lfd f1,0(r1)");
    Core& c = t.cpu();
    set_vectors(c);
    REQUIRE(t.run_to(vector(Ivor::FpUnavailable)));
    CHECK(c.s.srr0 == TestVm::kCodeBase);
}

TEST_CASE("unmapped physical access: machine check, or checkstop with ME=0", "[emu][exceptions]") {
    if (!have_assembler()) return;
    {
        TestVm t;
        // Map EA 0x80000000 to PA 0x80000000 (nothing there) through TLB1[1].
        t.cpu().mmu.set_tlb1(1, vmc::vmm::TlbEntry{0, 0x80000500, 0x80000000, 0x8000003f});
        t.load("lis r4,0x8000\nlwz r3,0(r4)");
        Core& c = t.cpu();
        set_vectors(c);
        c.msr = msr::ME;
        REQUIRE(t.run_to(vector(Ivor::MachineCheck)));
        CHECK(c.s.mcsrr0 == TestVm::kCodeBase + 4);
        CHECK((c.s.mcsr & mcsr::LD) != 0);
        CHECK(c.s.mcar == 0x80000000);
        CHECK(c.msr == 0);
    }
    {
        TestVm t;
        t.cpu().mmu.set_tlb1(1, vmc::vmm::TlbEntry{0, 0x80000500, 0x80000000, 0x8000003f});
        t.load("lis r4,0x8000\nlwz r3,0(r4)");
        t.cpu().run(10);
        CHECK(t.cpu().checkstop);
    }
}

TEST_CASE("loads and stores: widths, update forms, byte reversal, crossing a page",
          "[emu][loadstore]") {
    if (!have_assembler()) return;
    TestVm t;
    uint32_t end = t.load(R"(
        lis r4,0x20
        lis r5,0x8081
        ori r5,r5,0x8283
        stw r5,0(r4)
        lha r6,0(r4)
        lhz r7,2(r4)
        lbzu r8,3(r4)
        lwbrx r9,0,r4
        lhbrx r10,0,r4
        addi r11,r4,0xffb
        stw r5,0(r11)
        lwz r12,0(r11)
        li r13,8
        sthbrx r5,r4,r13
        lwzx r14,r4,r13
        stwu r5,16(r4)
        lmw r30,-19(r4)
        dcbz 0,r4)");
    Core& c = t.cpu();
    REQUIRE(t.run_to(end));
    CHECK(c.gpr[6] == 0xffff8081);
    CHECK(c.gpr[7] == 0x8283);
    CHECK(c.gpr[8] == 0x83);
    CHECK(c.gpr[9] == 0x00000083); // lbzu moved r4 to 0x200003: bytes 83 00 00 00 reversed
    CHECK(c.gpr[10] == 0x0083);
    CHECK(c.gpr[12] == 0x80818283); // stored and loaded across the 0x201000 page boundary
    CHECK(c.gpr[14] == 0x83820000);
    CHECK(c.gpr[4] == 0x200013); // stwu
    CHECK(c.gpr[30] == 0x80818283);
    CHECK(c.gpr[31] == 0);
    CHECK(t.read32(0x200000) == 0); // dcbz cleared the 64-byte line holding 0x200013
    CHECK(t.read32(0x200ffc) == 0x00008081);
}
