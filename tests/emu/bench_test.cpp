// Interpreter throughput on an integer/memory loop (hidden: run with "[.bench]").
#include <catch2/catch.hpp>

#include <chrono>

#include "harness.hpp"

using namespace vmc::emu;
using namespace vmc::emu::test;

TEST_CASE("interpreter throughput", "[.bench]") {
    if (!have_assembler()) return;
    TestVm t;
    uint32_t end = t.load(R"(
        lis r4,0x100
        lis r5,0x40
        mtctr r5
        li r3,1
    1:  slwi r6,r3,13
        xor r3,r3,r6
        srwi r6,r3,17
        xor r3,r3,r6
        rlwinm r7,r3,2,18,29
        lwzx r8,r4,r7
        add r8,r8,r3
        stwx r8,r4,r7
        bdnz 1b)");
    Core& c = t.cpu();
    auto start = std::chrono::steady_clock::now();
    while (c.pc != end)
        c.run(1 << 20);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    WARN("guest instructions: " << c.instructions << " in " << s
                                << " s = " << c.instructions / s / 1e6 << " MIPS");
    CHECK(c.instructions > 0x400000 * 9);
}
