#include "arch/booke/core_models.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace vmc::arch::booke;

TEST_CASE("the e500mc and e5500 rows carry the PVRs QEMU's cores report") {
    REQUIRE(find_core_model("e500mc"));
    REQUIRE(find_core_model("e5500"));
    CHECK(find_core_model("e500mc")->pvr == 0x80230020);
    CHECK_FALSE(find_core_model("e500mc")->is64);
    CHECK(find_core_model("e5500")->pvr == 0x80240020);
    CHECK(find_core_model("e5500")->is64);
    CHECK(find_core_model("e6500") == nullptr);
    CHECK(core_model_or_default("nonsense").name == "e500mc");
    CHECK(core_model_names() == "e500mc, e5500");
}

TEST_CASE("TLB0 geometry must be powers of two with at least as many entries as ways") {
    CHECK_FALSE(tlb0_geometry_problem(512, 4));
    CHECK_FALSE(tlb0_geometry_problem(4, 4));
    CHECK(tlb0_geometry_problem(2, 4) == "TLB0 has fewer entries (2) than ways (4)");
    CHECK(tlb0_geometry_problem(0, 4));
    CHECK(tlb0_geometry_problem(500, 4));
    CHECK(tlb0_geometry_problem(512, 3));
    CHECK(tlb0_geometry_problem(512, 0));
    CHECK_FALSE(tlb1_geometry_problem(64));
    CHECK(tlb1_geometry_problem(0));
    CHECK(tlb1_geometry_problem(4096));
}

TEST_CASE("TLBnCFG and MMUCFG encode the geometry and the real address width") {
    CHECK(tlb0cfg(512, 4) == 0x04110200);
    CHECK(tlb1cfg(64) == 0x401cc040);
    CHECK((mmucfg(36) >> 17) == 36);
    CHECK((mmucfg(40) >> 17) == 40);
    CHECK((mmucfg(36) & 3) == 0); // MAVN: MMU architecture version 1.0
}

TEST_CASE("the SPR table has one row per number, in order, with Book III-E privilege") {
    std::set<unsigned> seen;
    unsigned last = 0;
    for (const SprInfo& s : kSprTable) {
        CHECK(seen.insert(s.number).second);
        CHECK(s.number >= last);
        last = s.number;
        CHECK(s.cores != 0);
    }
    CHECK(find_spr(spr::SRR0)->privileged());
    CHECK_FALSE(find_spr(spr::USPRG0)->privileged());
    CHECK_FALSE(find_spr(spr::TBL_R)->privileged());
    CHECK(find_spr(spr::SRR0)->bits(true) == 64);
    CHECK(find_spr(spr::SRR0)->bits(false) == 32);
    CHECK(find_spr(spr::MAS7_3)->cores == kE5500);
    CHECK(find_spr(4000) == nullptr);
}
