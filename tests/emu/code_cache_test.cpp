// The dispatch loop running many instructions per call: self-modifying code,
// data that shares a page with code, and interrupts at the instruction that
// enables them even when branches no longer end the block.
#include <catch2/catch.hpp>

#include <tuple>

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

TEST_CASE("specialised bc handlers agree with the generic one", "[emu][speed]") {
    TestVm t;
    Core& c = t.cpu();
    unsigned specialised = 0;
    for (uint32_t bo = 0; bo < 32; ++bo)
        for (uint32_t bi : {0u, 2u, 13u})
            for (uint32_t ctr : {0u, 1u, 2u})
                for (uint32_t cr : {0u, 0xffffffffu, 0x20040000u}) {
                    uint32_t raw = (16u << 26) | (bo << 21) | (bi << 16) | 0x40; // bc BO,BI,+0x40
                    Handler h = select_handler(raw);
                    if (h == &bc) continue;
                    ++specialised;
                    auto outcome = [&](Handler fn) {
                        c.pc = 0x1000;
                        c.ctr = ctr;
                        c.cr = cr;
                        c.flow = false;
                        fn(c, Insn{raw});
                        return std::tuple(c.flow, c.flow ? c.npc : 0u, c.ctr);
                    };
                    INFO("bo " << bo << " bi " << bi << " ctr " << ctr << " cr " << cr);
                    CHECK(outcome(h) == outcome(&bc));
                }
    CHECK(specialised > 0);
    CHECK(select_handler((16u << 26) | (16u << 21) | 0x41) == &bc); // LK: the generic handler
}
