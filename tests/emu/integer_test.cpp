// Table-driven vectors for integer, CR and XER semantics. Each row sets
// r4/r5 (and XER), runs one snippet, and checks r3, CR0 and XER[SO,OV,CA].
#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace vmc::emu;
using namespace vmc::emu::test;

namespace {

struct Vector {
    const char* insn;
    uint32_t r4, r5, xer_in;
    uint32_t r3, cr0, xer_out; // cr0: 4-bit LT GT EQ SO; xer_out: SO|OV|CA bits
};

void run_vectors(const std::vector<Vector>& rows) {
    if (!have_assembler()) return;
    for (const auto& v : rows) {
        TestVm t;
        uint32_t end = t.load(v.insn);
        Core& c = t.cpu();
        c.gpr[4] = v.r4;
        c.gpr[5] = v.r5;
        c.xer = v.xer_in;
        c.cr = 0;
        REQUIRE(t.run_to(end));
        INFO(v.insn << " r4=" << std::hex << v.r4 << " r5=" << v.r5);
        CHECK(c.gpr[3] == v.r3);
        CHECK((c.cr >> 28) == v.cr0);
        CHECK((c.xer & 0xe0000000) == v.xer_out);
    }
}

constexpr uint32_t SO = 0x80000000, OV = 0x40000000, CA = 0x20000000;
constexpr uint32_t LT = 8, GT = 4, EQ = 2, CRSO = 1;

} // namespace

TEST_CASE("add family: carries, overflows and CR0", "[emu][integer]") {
    run_vectors({
        {"add r3,r4,r5", 1, 2, 0, 3, 0, 0},
        {"add. r3,r4,r5", 0xffffffff, 1, 0, 0, EQ, 0},
        {"addo. r3,r4,r5", 0x7fffffff, 1, 0, 0x80000000, LT | CRSO, SO | OV},
        {"addo r3,r4,r5", 1, 1, SO | OV, 2, 0, SO}, // OV cleared, SO sticky
        {"addc r3,r4,r5", 0xffffffff, 1, 0, 0, 0, CA},
        {"addco. r3,r4,r5", 0x80000000, 0x80000000, 0, 0, EQ | CRSO, SO | OV | CA},
        {"adde r3,r4,r5", 0xffffffff, 0, CA, 0, 0, CA},
        {"adde r3,r4,r5", 5, 6, CA, 12, 0, 0},
        {"addme r3,r4", 0, 0, 0, 0xffffffff, 0, 0},
        {"addme r3,r4", 0, 0, CA, 0, 0, CA},
        {"addmeo r3,r4", 0x80000000, 0, 0, 0x7fffffff, 0, SO | OV | CA},
        {"addze r3,r4", 0xffffffff, 0, CA, 0, 0, CA},
        {"addzeo r3,r4", 0x7fffffff, 0, CA, 0x80000000, 0, SO | OV},
        {"addic r3,r4,-1", 0, 0, 0, 0xffffffff, 0, 0},
        {"addic. r3,r4,-1", 1, 0, 0, 0, EQ, CA},
        {"addis r3,r4,0x8000", 1, 0, 0, 0x80000001, 0, 0},
        {"addi r3,0,-5", 77, 0, 0, 0xfffffffb, 0, 0},
    });
}

TEST_CASE("subtract family and neg", "[emu][integer]") {
    run_vectors({
        {"subf r3,r4,r5", 3, 10, 0, 7, 0, 0},
        {"subfc r3,r4,r5", 3, 10, 0, 7, 0, CA},
        {"subfc r3,r4,r5", 10, 3, 0, 0xfffffff9, 0, 0},
        {"subfc r3,r4,r5", 5, 5, 0, 0, 0, CA},
        {"subfo. r3,r4,r5", 1, 0x80000000, 0, 0x7fffffff, GT | CRSO, SO | OV},
        {"subfe r3,r4,r5", 3, 10, 0, 6, 0, CA},
        {"subfe r3,r4,r5", 3, 10, CA, 7, 0, CA},
        {"subfme r3,r4", 0, 0, CA, 0xffffffff, 0, CA},
        {"subfze r3,r4", 0, 0, CA, 0, 0, CA},
        {"subfze r3,r4", 1, 0, CA, 0xffffffff, 0, 0},
        {"subfic r3,r4,10", 3, 0, 0, 7, 0, CA},
        {"subfic r3,r4,0", 1, 0, 0, 0xffffffff, 0, 0},
        {"neg r3,r4", 5, 0, 0, 0xfffffffb, 0, 0},
        {"nego. r3,r4", 0x80000000, 0, 0, 0x80000000, LT | CRSO, SO | OV},
        {"nego r3,r4", 0, 0, 0, 0, 0, 0},
    });
}

TEST_CASE("multiply and divide edge cases", "[emu][integer]") {
    run_vectors({
        {"mullw r3,r4,r5", 0xffffffff, 0xffffffff, 0, 1, 0, 0},
        {"mullwo. r3,r4,r5", 0x10000, 0x10000, 0, 0, EQ | CRSO, SO | OV},
        {"mullwo r3,r4,r5", 0xffff, 0xffff, 0, 0xfffe0001, 0, SO | OV},
        {"mullwo r3,r4,r5", 0x7fff, 0x7fff, 0, 0x3fff0001, 0, 0},
        {"mulhw r3,r4,r5", 0xffffffff, 0xffffffff, 0, 0, 0, 0},
        {"mulhw. r3,r4,r5", 0x80000000, 2, 0, 0xffffffff, LT, 0},
        {"mulhwu r3,r4,r5", 0xffffffff, 0xffffffff, 0, 0xfffffffe, 0, 0},
        {"mulli r3,r4,-3", 7, 0, 0, 0xffffffeb, 0, 0},
        {"divw r3,r4,r5", 0xfffffff9, 2, 0, 0xfffffffd, 0, 0}, // -7/2 = -3
        {"divwo. r3,r4,r5", 100, 0, 0, 100, GT | CRSO, SO | OV},
        {"divwo r3,r4,r5", 0x80000000, 0xffffffff, 0, 0x80000000, 0, SO | OV},
        {"divwu r3,r4,r5", 0xfffffff9, 2, 0, 0x7ffffffc, 0, 0},
        {"divwuo r3,r4,r5", 9, 0, 0, 9, 0, SO | OV},
        {"divwuo r3,r4,r5", 9, 3, SO | OV, 3, 0, SO},
    });
}

TEST_CASE("logical, extend, count leading zeros", "[emu][integer]") {
    run_vectors({
        {"and. r3,r4,r5", 0xf0f0, 0x0ff0, 0, 0x00f0, GT, 0},
        {"andc r3,r4,r5", 0xff, 0x0f, 0, 0xf0, 0, 0},
        {"nand r3,r4,r5", 0xffffffff, 0xffffffff, 0, 0, 0, 0},
        {"nor. r3,r4,r5", 0, 0, SO, 0xffffffff, LT | CRSO, SO},
        {"eqv r3,r4,r5", 0xf0, 0xff, 0, 0xfffffff0, 0, 0},
        {"orc r3,r4,r5", 0, 0xffff0000, 0, 0x0000ffff, 0, 0},
        {"xor r3,r4,r5", 0xff, 0x0f, 0, 0xf0, 0, 0},
        {"andi. r3,r4,0x8000", 0x18000, 0, 0, 0x8000, GT, 0},
        {"andis. r3,r4,0x8000", 0x80000001, 0, 0, 0x80000000, LT, 0},
        {"ori r3,r4,0xffff", 0x10000, 0, 0, 0x1ffff, 0, 0},
        {"xoris r3,r4,0xffff", 0xffff0000, 0, 0, 0, 0, 0},
        {"extsb. r3,r4", 0x180, 0, 0, 0xffffff80, LT, 0},
        {"extsh r3,r4", 0x18000, 0, 0, 0xffff8000, 0, 0},
        {"cntlzw r3,r4", 0, 0, 0, 32, 0, 0},
        {"cntlzw. r3,r4", 0x00010000, 0, 0, 15, GT, 0},
    });
}

TEST_CASE("rotates and shifts by 0, 31 and 32+", "[emu][integer]") {
    run_vectors({
        {"rlwinm r3,r4,8,24,31", 0x12345678, 0, 0, 0x12, 0, 0},
        {"rlwinm r3,r4,0,28,3", 0x12345678, 0, 0, 0x10000008, 0, 0}, // wrapping mask
        {"rlwnm r3,r4,r5,0,31", 0x80000001, 33, 0, 0x00000003, 0, 0},
        {"li r3,-1\nrlwimi r3,r4,4,24,27", 0xab, 0, 0, 0xffffffbf, 0, 0},
        {"slw r3,r4,r5", 1, 31, 0, 0x80000000, 0, 0},
        {"slw r3,r4,r5", 1, 32, 0, 0, 0, 0},
        {"slw r3,r4,r5", 1, 0x3f, 0, 0, 0, 0},
        {"slw r3,r4,r5", 3, 64, 0, 3, 0, 0}, // only RB[26:31] count: 64 -> 0
        {"srw r3,r4,r5", 0x80000000, 31, 0, 1, 0, 0},
        {"srw. r3,r4,r5", 0x80000000, 32, 0, 0, EQ, 0},
        {"sraw r3,r4,r5", 0x80000000, 31, 0, 0xffffffff, 0, 0}, // only zeros shifted out
        {"sraw r3,r4,r5", 0x80000001, 31, 0, 0xffffffff, 0, CA},
        {"sraw r3,r4,r5", 0x80000000, 40, 0, 0xffffffff, 0, CA},
        {"sraw r3,r4,r5", 0x40000000, 40, 0, 0, 0, 0},
        {"sraw r3,r4,r5", 0xfffffff0, 4, 0, 0xffffffff, 0, 0},  // only zeros shifted out
        {"sraw r3,r4,r5", 0xfffffff1, 0, CA, 0xfffffff1, 0, 0}, // shift 0 clears CA
        {"srawi. r3,r4,1", 0xffffffff, 0, 0, 0xffffffff, LT, CA},
        {"srawi r3,r4,0", 5, 0, CA, 5, 0, 0},
    });
}

TEST_CASE("compares, isel and CR logic", "[emu][integer]") {
    run_vectors({
        {"cmpw r4,r5\nmfcr r3", 0xffffffff, 1, 0, 0x80000000, LT, 0},
        {"cmplw r4,r5\nmfcr r3", 0xffffffff, 1, 0, 0x40000000, GT, 0},
        {"cmpwi cr7,r4,-1\nmfcr r3", 0xffffffff, 0, SO, 0x3, 0, SO},
        {"cmplwi cr1,r4,5\nmfcr r3", 5, 0, 0, 0x02000000, 0, 0},
        {"cmpw r4,r5\nisel r3,r4,r5,0", 1, 2, 0, 1, LT, 0},
        {"cmpw r4,r5\nisel r3,r4,r5,1", 1, 2, 0, 2, LT, 0},
        {"cmpw r4,r5\nli r4,0\nisel r3,0,r5,0", 1, 2, 0, 0, LT, 0},
        {"cmpw r4,r5\ncrnot 4*cr1+eq,lt\nmfcr r3", 1, 2, 0, 0x80000000, LT, 0},
        {"cmpw r4,r5\ncror 4*cr2+lt,lt,gt\nmfcr r3", 1, 2, 0, 0x80800000, LT, 0},
        {"cmpw r4,r5\nmcrf cr6,cr0\nmfcr r3", 1, 2, 0, 0x80000080, LT, 0},
        {"mtcrf 0x81,r4\nmfcr r3", 0x12345678, 0, 0, 0x10000008, 1, 0},
        {"mtocrf 0x40,r4\nmfocrf r3,0x40", 0x12345678, 0, 0, 0x02000000, 0, 0},
        {"mcrxr cr0\nmfxer r3", 0, 0, SO | CA, 0, 10, 0},
        {"mtxer r4\nmfxer r3", 0xffffffff, 0, 0, 0xe000007f, 0, SO | OV | CA},
    });
}

TEST_CASE("branches: CTR decrement rules and LR", "[emu][branch]") {
    if (!have_assembler()) return;
    TestVm t;
    uint32_t end = t.load(R"(
        li r3,0
        li r4,5
        mtctr r4
    1:  addi r3,r3,1
        bdnz 1b
        bl 2f
        b 3f
    2:  mflr r6
        blr
    3:  li r4,3
        mtctr r4
        cmpwi r3,5
    4:  addi r5,r5,1
        bdnzt eq,4b
        bl 7f
    7:  mflr r7
        addi r7,r7,5f-7b
        mtctr r7
        bctrl
        b 6f
    5:  mflr r8
        blr
    6:  nop)");
    Core& c = t.cpu();
    REQUIRE(t.run_to(end));
    CHECK(c.gpr[3] == 5);
    CHECK(c.gpr[6] == TestVm::kCodeBase + 0x18); // return address after bl
    CHECK(c.gpr[5] == 3);                        // bdnzt: runs until CTR reaches zero
    CHECK(c.ctr == c.gpr[7]);                    // bctrl does not touch CTR
    CHECK(c.gpr[8] == c.gpr[7] - 4);             // LR = the instruction after bctrl
}
