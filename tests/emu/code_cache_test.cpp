// The dispatch loop running many instructions per call: self-modifying code,
// data that shares a page with code, and interrupts at the instruction that
// enables them even when branches no longer end the block.
#include <catch2/catch.hpp>

#include "engine/emu/decode.hpp"
#include "harness.hpp"

using namespace vmc::emu;
using namespace vmc::emu::test;

namespace {
// Runs whole quanta (not single steps) until pc reaches `end`.
bool run_blocks_to(Core& c, uint32_t end, uint64_t max = 100000) {
    uint64_t start = c.instructions;
    while (c.pc != end && c.instructions - start < max)
        c.run(4096);
    return c.pc == end;
}
} // namespace

TEST_CASE("a store to the next instruction takes effect in the same run", "[emu][speed]") {
    if (!have_assembler()) return;
    TestVm t;
    // The stw patches `li r3,1` right after it into `li r3,2` (0x38600002).
    uint32_t end = t.load(R"(
        bl 1f
    1:  mflr r4
        lis r5,0x3860
        ori r5,r5,2
        stw r5,(2f-1b)(r4)
    2:  li r3,1)");
    Core& c = t.cpu();
    REQUIRE(run_blocks_to(c, end));
    CHECK(c.gpr[3] == 2);
}

TEST_CASE("a loop patching an instruction it runs sees each new version", "[emu][speed]") {
    if (!have_assembler()) return;
    TestVm t;
    // Each iteration rewrites `addi r3,r3,K` with K = iteration number, then runs it.
    uint32_t end = t.load(R"(
        bl 1f
    1:  mflr r4
        li r3,0
        li r6,1
        lis r5,0x3863      # addi r3,r3,0
    2:  or r7,r5,r6
        stw r7,(3f-1b)(r4)
    3:  addi r3,r3,0
        addi r6,r6,1
        cmpwi r6,11
        blt 2b)");
    Core& c = t.cpu();
    REQUIRE(run_blocks_to(c, end));
    CHECK(c.gpr[3] == 55); // 1 + 2 + ... + 10
}

TEST_CASE("stores to data next to code keep the decoded page", "[emu][speed]") {
    if (!have_assembler()) return;
    TestVm t;
    uint32_t end = t.load(R"(
        bl 1f
    1:  mflr r4
        li r6,100
        mtctr r6
    2:  stw r6,(3f-1b)(r4)
        addi r6,r6,1
        bdnz 2b
        lwz r7,(3f-1b)(r4)
        b 4f
    3:  .long 0
    4:  nop)");
    Core& c = t.cpu();
    c.run(3); // the page is decoded now
    uint64_t generation = t.engine->core(0).shared.code.generation();
    REQUIRE(run_blocks_to(c, end));
    CHECK(c.gpr[7] == 199);
    CHECK(t.read32(TestVm::kCodeBase + 4 * 9) == 199);
    CHECK(c.shared.code.generation() == generation);
}

TEST_CASE("an interrupt is taken right after the instruction enabling it, mid-run",
          "[emu][speed]") {
    if (!have_assembler()) return;
    TestVm t;
    t.load(R"(
        li r3,0
    1:  addi r3,r3,1
        cmpwi r3,50
        blt 1b
        wrteei 1
        li r4,1)");
    Core& c = t.cpu();
    c.s.ivpr = 0x00100000;
    c.s.ivor[static_cast<unsigned>(Ivor::Decrementer)] = 0x200;
    t.write32(0x00100200, 0x48000000); // b .
    c.s.tcr = tcr::DIE;
    c.s.tsr = tsr::DIS;
    c.run(10000);
    CHECK(c.pc == 0x00100200);
    CHECK(c.gpr[3] == 50);
    CHECK(c.gpr[4] == 0);
    CHECK(c.s.srr0 == TestVm::kCodeBase + 4 * 5); // the instruction after wrteei
}

TEST_CASE("a code page that only takes stores becomes data again", "[emu][speed]") {
    if (!have_assembler()) return;
    TestVm t;
    // A routine at 0x20000 runs once (its page becomes code), then the page
    // takes 1024 stores without being run, then a new routine is stored
    // there and called.
    t.write32(0x20000, 0x38a00007); // li r5,7
    t.write32(0x20004, 0x4e800020); // blr
    uint32_t end = t.load(R"(
        lis r3,2
        mtctr r3
        bctrl
        mr r6,r5
        li r4,1024
        mtctr r4
        addi r3,r3,-4
        li r0,0
    1:  stwu r0,4(r3)
        bdnz 1b
        lis r3,2
        lis r4,0x38a0
        ori r4,r4,9
        stw r4,0(r3)
        lis r4,0x4e80
        ori r4,r4,0x20
        stw r4,4(r3)
        mtctr r3
        bctrl)");
    Core& c = t.cpu();
    uint64_t drops = c.shared.code.stats.drops;
    REQUIRE(run_blocks_to(c, end));
    CHECK(c.gpr[6] == 7);
    CHECK(c.gpr[5] == 9); // the new routine, decoded afresh
    CHECK(c.shared.code.stats.drops == drops + 1);
    // Only the stores before the drop (and the few after it that fill the
    // soft TLB) took the slow path.
    CHECK(c.stats.data_slow < CodeCache::kStoresBeforeDrop + 8);
    CHECK(c.stats.data_fast >= 1024 - CodeCache::kStoresBeforeDrop);
}
