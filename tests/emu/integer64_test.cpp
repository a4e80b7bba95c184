// Table-driven vectors for the e5500's 64-bit execution: the 64-bit
// instructions, and the 32-bit ones whose results, CR0 and XER[CA/OV] depend
// on the computation mode (MSR[CM]). Each row sets r4/r5 and CM, runs one
// snippet on an e5500 core, and checks r3, CR0 and XER[SO,OV,CA].
#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace vmc::emu;
using namespace vmc::emu::test;

namespace {

struct Vector64 {
    const char* insn;
    uint64_t r4, r5;
    bool cm; // 64-bit computation mode
    uint64_t r3;
    uint32_t cr0, xer_out; // cr0: 4-bit LT GT EQ SO; xer_out: SO|OV|CA bits
};

constexpr uint32_t SO = 0x80000000, OV = 0x40000000, CA = 0x20000000;
constexpr uint32_t LT = 8, GT = 4, EQ = 2;

// Sets MSR outside an instruction: no block is running to end.
void set_msr_now(Core& c, uint32_t value) {
    c.set_msr(value);
    c.flow = false;
    c.sync = false;
}

void run_vectors64(const std::vector<Vector64>& rows) {
    REQUIRE(have_assembler());
    for (const auto& v : rows) {
        TestVm t(1, {}, "e5500");
        uint32_t end = t.load(v.insn);
        Core& c = t.cpu();
        set_msr_now(c, v.cm ? msr::CM : 0);
        c.gpr[4] = v.r4;
        c.gpr[5] = v.r5;
        c.xer = 0;
        c.cr = 0;
        REQUIRE(t.run_to(end));
        INFO(v.insn << (v.cm ? " (CM=1)" : " (CM=0)") << " r4=" << std::hex << v.r4
                    << " r5=" << v.r5);
        CHECK(c.gpr[3] == v.r3);
        CHECK((c.cr >> 28) == v.cr0);
        CHECK((c.xer & 0xe0000000) == v.xer_out);
    }
}

} // namespace

TEST_CASE("e5500: CR0, CA and OV follow the computation mode", "[emu][integer64]") {
    run_vectors64({
        {"add. r3,r4,r5", 0x7fffffffffffffff, 1, true, 0x8000000000000000, LT, 0},
        {"add. r3,r4,r5", 0x7fffffffffffffff, 1, false, 0x8000000000000000, EQ, 0},
        {"addc r3,r4,r5", 0xffffffffffffffff, 1, true, 0, 0, CA},
        {"addc r3,r4,r5", 0xffffffff, 1, true, 0x100000000, 0, 0},
        {"addc r3,r4,r5", 0xffffffff, 1, false, 0x100000000, 0, CA},
        {"addo r3,r4,r5", 0x7fffffff, 1, true, 0x80000000, 0, 0},
        {"addo r3,r4,r5", 0x7fffffff, 1, false, 0x80000000, 0, SO | OV},
        {"subf. r3,r4,r5", 1, 0, true, 0xffffffffffffffff, LT, 0},
        {"addi r3,r4,1", 0xffffffff, 0, false, 0x100000000, 0, 0}, // GPRs never wrap
        {"extsb. r3,r4", 0x80, 0, true, 0xffffffffffffff80, LT, 0},
        {"rlwinm r3,r4,0,31,0", 0x180000001, 0, true, 0x8000000180000001, 0, 0},
        {"rlwinm r3,r4,4,0,31", 0xffffffff00000001, 0, true, 0x10, 0, 0},
        {"mullw r3,r4,r5", 0x10000, 0x10000, true, 0x100000000, 0, 0},
        {"srawi r3,r4,1", 0x80000000, 0, true, 0xffffffffc0000000, 0, 0},
    });
}

TEST_CASE("e5500: compares with L=1 use all 64 bits, L=0 the low words", "[emu][integer64]") {
    run_vectors64({
        {"cmpd r4,r5\nmfcr r3", 0x100000000, 1, false, 0x40000000, GT, 0},
        {"cmpw r4,r5\nmfcr r3", 0x100000000, 1, true, 0x80000000, LT, 0},
        {"cmpld r4,r5\nmfcr r3", 0xffffffffffffffff, 1, true, 0x40000000, GT, 0},
        {"cmplw r4,r5\nmfcr r3", 0xffffffff00000000, 1, true, 0x80000000, LT, 0},
        {"cmpdi r4,-1\nmfcr r3", 0xffffffffffffffff, 0, true, 0x20000000, EQ, 0},
        {"cmpldi r4,5\nmfcr r3", 0x100000000, 0, true, 0x40000000, GT, 0},
    });
}

TEST_CASE("e5500: rotates, shifts and doubleword arithmetic", "[emu][integer64]") {
    run_vectors64({
        {"rldicl r3,r4,8,32", 0x0123456789abcdef, 0, true, 0xabcdef01, 0, 0},
        {"rldicr r3,r4,4,59", 0x0123456789abcdef, 0, true, 0x123456789abcdef0, 0, 0},
        {"rldic r3,r4,8,48", 0x0123456789abcdef, 0, true, 0xef00, 0, 0},
        {"mr r3,r5\nrldimi r3,r4,16,32", 0x0123456789abcdef, ~0ull, true, 0xffffffffcdefffff, 0, 0},
        {"rldcl r3,r4,r5,0", 0x8000000000000001, 1, true, 3, 0, 0},
        {"rldcr. r3,r4,r5,0", 0x4000000000000000, 1, true, 0x8000000000000000, LT, 0},
        {"sld r3,r4,r5", 1, 63, true, 0x8000000000000000, 0, 0},
        {"sld r3,r4,r5", 1, 64, true, 0, 0, 0},
        {"srd r3,r4,r5", 0x8000000000000000, 63, true, 1, 0, 0},
        {"srad r3,r4,r5", 0x8000000000000001, 1, true, 0xc000000000000000, 0, CA},
        {"srad r3,r4,r5", 0x8000000000000000, 100, true, ~0ull, 0, CA},
        {"sradi r3,r4,33", 0x0000000400000000, 0, true, 2, 0, 0},
        {"mulld r3,r4,r5", 0x123456789, 0x1000, true, 0x123456789000, 0, 0},
        {"mulldo r3,r4,r5", 0x100000000, 0x100000000, true, 0, 0, SO | OV},
        {"mulhd r3,r4,r5", ~0ull, 1, true, ~0ull, 0, 0},
        {"mulhdu r3,r4,r5", ~0ull, 2, true, 1, 0, 0},
        {"divd r3,r4,r5", static_cast<uint64_t>(-10), 3, true, static_cast<uint64_t>(-3), 0, 0},
        {"divdo r3,r4,r5", 7, 0, true, 7, 0, SO | OV},
        {"divdu r3,r4,r5", ~0ull, 2, true, 0x7fffffffffffffff, 0, 0},
        {"cntlzd r3,r4", 1, 0, true, 63, 0, 0},
        {"extsw r3,r4", 0x80000000, 0, true, 0xffffffff80000000, 0, 0},
        {"popcntb r3,r4", 0x0103ff, 0, true, 0x010208, 0, 0},
        {"popcntw r3,r4", 0xff000000000000ff, 0, true, 0x0000000800000008, 0, 0},
        {"popcntd r3,r4", 0xff000000000000ff, 0, true, 16, 0, 0},
        {"cmpb r3,r4,r5", 0x1122334455667788, 0x1100334400667700, true, 0xff00ffff00ffff00, 0, 0},
    });
}

TEST_CASE("e5500: doubleword loads and stores, lwa sign-extends", "[emu][integer64]") {
    REQUIRE(have_assembler());
    TestVm t(1, {}, "e5500");
    uint32_t end = t.load("std r4,0(r5)\nld r3,0(r5)\nlwa r6,4(r5)\nstdu r4,8(r5)\n"
                          "ldx r7,0,r5\nldarx r8,0,r5\nstdcx. r6,0,r5\nld r9,0(r5)");
    Core& c = t.cpu();
    set_msr_now(c, msr::CM);
    c.gpr[4] = 0x11223344aabbccdd;
    c.gpr[5] = 0x20000;
    REQUIRE(t.run_to(end));
    CHECK(c.gpr[3] == 0x11223344aabbccdd);
    CHECK(t.read32(0x20000) == 0x11223344);
    CHECK(c.gpr[6] == 0xffffffffaabbccdd);
    CHECK(c.gpr[5] == 0x20008); // stdu updated RA
    CHECK(c.gpr[7] == 0x11223344aabbccdd);
    CHECK(c.gpr[8] == 0x11223344aabbccdd);
    CHECK((c.cr >> 28) == EQ); // the store-conditional succeeded
    CHECK(c.gpr[9] == 0xffffffffaabbccdd);
}

TEST_CASE("e5500: in 32-bit mode effective addresses and branch targets wrap at 4 GiB",
          "[emu][integer64]") {
    REQUIRE(have_assembler());
    TestVm t(1, {}, "e5500");
    uint32_t end = t.load("lwz r3,8(r4)\nlwzx r6,r5,r4\naddi r7,r4,0\nbl 1f\n1: mflr r8");
    Core& c = t.cpu();
    t.write32(0x4, 0x12345678);
    c.gpr[4] = 0xfffffffc;         // + 8 wraps to 4
    c.gpr[5] = 0xdeadbeef00000008; // upper bits of the sum are dropped
    REQUIRE(t.run_to(end));
    CHECK(c.gpr[3] == 0x12345678);
    CHECK(c.gpr[6] == 0x12345678);
    CHECK(c.gpr[7] == 0xfffffffc);
    CHECK(c.gpr[8] == TestVm::kCodeBase + 16); // LR: the 32-bit return address
}

TEST_CASE("e5500: bdnz in 32-bit mode tests the low word of CTR", "[emu][integer64]") {
    REQUIRE(have_assembler());
    TestVm t(1, {}, "e5500");
    uint32_t end = t.load("li r3,0\n1: addi r3,r3,1\nbdnz 1b");
    Core& c = t.cpu();
    c.ctr = 0x100000002; // low word 2: two passes, then CTR = 0x1_0000_0000
    REQUIRE(t.run_to(end));
    CHECK(c.gpr[3] == 2);
    CHECK(c.ctr == 0x100000000);
}

TEST_CASE("e5500: EPCR[ICM] takes interrupts in 64-bit mode; rfi returns to 32-bit",
          "[emu][integer64]") {
    REQUIRE(have_assembler());
    TestVm t(1, {}, "e5500");
    // The system call handler at IVPR + IVOR8 returns straight away.
    auto handler = assemble("mfmsr r5\nrfi", true);
    t.vm->ram.write(0x8000, handler);
    uint32_t end = t.load("sc\nmfmsr r6");
    Core& c = t.cpu();
    c.s.ivpr = 0;
    c.s.ivor[8] = 0x8000;
    c.s.epcr = epcr::ICM;
    REQUIRE(t.run_to(end));
    CHECK((c.gpr[5] & msr::CM) != 0); // in the handler
    CHECK(c.s.srr0 == TestVm::kCodeBase + 4);
    CHECK((c.gpr[6] & msr::CM) == 0); // back in 32-bit mode
}

TEST_CASE("e5500: the time base reads whole through TBL, MAS7_3 joins MAS7 and MAS3",
          "[emu][integer64]") {
    REQUIRE(have_assembler());
    TestVm t(1, {}, "e5500");
    uint32_t end = t.load("mtspr 372,r4\nmfspr r5,944\nmfspr r6,627\nmfspr r7,372\nmftb r3");
    Core& c = t.cpu();
    c.set_timebase(0x123456789ull);
    c.gpr[4] = 0x0000000f12345015;
    REQUIRE(t.run_to(end));
    CHECK(c.gpr[5] == 0xf);
    CHECK(c.gpr[6] == 0x12345015);
    CHECK(c.gpr[7] == 0x0000000f12345015);
    CHECK(c.gpr[3] >= 0x123456789ull);
}

TEST_CASE("e500mc: the 64-bit instructions and L=1 compares are illegal", "[emu][integer64]") {
    REQUIRE(have_assembler());
    for (const char* insn : {"cmpd r4,r5", "mulld r3,r4,r5", "rldicl r3,r4,1,0", "extsw r3,r4"}) {
        TestVm t;
        // 64-bit mnemonics need the 64-bit assembler; the e500mc runs the words.
        auto code = assemble(insn, true);
        t.vm->ram.write(TestVm::kCodeBase, code);
        Core& c = t.cpu();
        c.pc = TestVm::kCodeBase;
        c.s.ivor[6] = 0x700;
        c.run(1);
        INFO(insn);
        CHECK(c.pc == 0x700);
        CHECK(c.s.esr == esr::PIL);
    }
    TestVm t;
    auto code = assemble("ld r3,0(r4)", true);
    t.vm->ram.write(TestVm::kCodeBase, code);
    Core& c = t.cpu();
    c.pc = TestVm::kCodeBase;
    c.s.ivor[6] = 0x700;
    c.run(1);
    CHECK(c.pc == 0x700);
}
