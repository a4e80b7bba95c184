// Translated blocks against the interpreter: the same programs run on two
// test machines, one translating hot code (jit/) and one interpreting
// everything (--no-jit), and after every slice of instructions both must hold
// the same registers, memory and instruction count. The programs are random
// loops over every inlined form, calls to generic handlers, loads and stores
// and forward branches; slices of odd sizes check that translated code stops
// exactly where the budget says. Only x86-64 hosts translate.
#include <catch2/catch.hpp>

#include <algorithm>

#include <random>
#include <vector>

#include "engine/emu/decode.hpp"
#include "harness.hpp"

using namespace vmc::emu;
using namespace vmc::emu::test;

#if defined(__x86_64__)

namespace {

constexpr uint32_t kCode = TestVm::kCodeBase;
constexpr uint32_t kData = 0x00200000; // r30 points here; loads and stores stay in 4 KiB above
constexpr unsigned kBase = 30;         // = kData
constexpr unsigned kBase2 = 29;        // = kData + 0x800, for update forms with displacement 0
constexpr unsigned kIndex = 28;        // below 0x1000, for X-forms

uint32_t d_form(unsigned op, unsigned rt, unsigned ra, uint32_t imm) {
    return (op << 26) | (rt << 21) | (ra << 16) | (imm & 0xffff);
}
uint32_t x_form(unsigned rt, unsigned ra, unsigned rb, unsigned xo, bool rc = false) {
    return (31u << 26) | (rt << 21) | (ra << 16) | (rb << 11) | (xo << 1) | (rc ? 1 : 0);
}
uint32_t spr_form(unsigned reg, unsigned spr, unsigned xo) {
    return (31u << 26) | (reg << 21) | ((spr & 0x1f) << 16) | ((spr >> 5) << 11) | (xo << 1);
}
uint32_t rlwinm(unsigned ra, unsigned rs, unsigned sh, unsigned mb, unsigned me, bool rc) {
    return (21u << 26) | (rs << 21) | (ra << 16) | (sh << 11) | (mb << 6) | (me << 1) | rc;
}
uint32_t bc(unsigned bo, unsigned bi, int32_t displacement) {
    return (16u << 26) | (bo << 21) | (bi << 16) | (static_cast<uint32_t>(displacement) & 0xfffc);
}
uint32_t b(int32_t displacement, bool link = false) {
    return (18u << 26) | (static_cast<uint32_t>(displacement) & 0x03fffffc) | (link ? 1 : 0);
}

// One random instruction of the loop body at `index` of `length`. Never
// writes r28-r30 (data pointers and index) or CTR (the loop count).
uint32_t random_instruction(std::mt19937& rng, unsigned index, unsigned length) {
    auto reg = [&] { return static_cast<unsigned>(rng() % 32); };
    auto dest = [&] { return static_cast<unsigned>(rng() % 28); };
    uint32_t imm = rng() & 0xffff;
    // Any byte offset: some word and halfword accesses cross into the next page.
    unsigned disp = rng() % 4096;
    switch (rng() % 41) {
    case 0:
        return d_form(14, dest(), reg(), imm); // addi / li
    case 1:
        return d_form(15, dest(), reg(), imm); // addis / lis
    case 2:
        return d_form(24, reg(), dest(), imm); // ori
    case 3:
        return d_form(25, reg(), dest(), imm); // oris
    case 4:
        return d_form(26, reg(), dest(), imm); // xori
    case 5:
        return d_form(27, reg(), dest(), imm); // xoris
    case 6:
        return d_form(28, reg(), dest(), imm); // andi.
    case 7:
        return d_form(7, dest(), reg(), imm); // mulli
    case 8:
        return rlwinm(dest(), reg(), rng() % 32, rng() % 32, rng() % 32, rng() % 4 == 0);
    case 9:
        return d_form(11, (rng() % 8) << 2, reg(), imm); // cmpwi crF
    case 10:
        return d_form(10, (rng() % 8) << 2, reg(), imm); // cmplwi crF
    case 11:
        return x_form((rng() % 8) << 2, reg(), reg(), 0); // cmpw
    case 12:
        return x_form((rng() % 8) << 2, reg(), reg(), 32); // cmplw
    case 13:
        return x_form(dest(), reg(), reg(), 266); // add
    case 14:
        return x_form(dest(), reg(), reg(), 40); // subf
    case 15:
        return x_form(dest(), reg(), reg(), 235); // mullw
    case 16:
        return x_form(reg(), dest(), reg(), 28); // and
    case 17:
        return x_form(reg(), dest(), reg(), 60); // andc
    case 18:
        return x_form(reg(), dest(), reg(), 444); // or / mr
    case 19:
        return x_form(reg(), dest(), reg(), 316); // xor
    case 20:
        return x_form(reg(), dest(), reg(), 124); // nor
    case 21:
        return spr_form(dest(), 8, 339); // mflr
    case 22:
        return spr_form(reg(), 8, 467); // mtlr
    case 23:
        return spr_form(dest(), 9, 339); // mfctr
    // Generic handlers, called from translated code.
    case 24:
        return x_form(reg(), dest(), rng() % 32, 824, rng() % 2); // srawi[.]
    case 25:
        return x_form(dest(), reg(), reg(), 10); // addc
    case 26:
        return x_form(dest(), reg(), reg(), 138, rng() % 2); // adde[.]
    case 27:
        return x_form(reg(), dest(), 0, 26); // cntlzw
    case 28:
        return x_form(dest(), reg(), reg(), 266 | 512, true); // addo.
    case 29:
        return x_form(dest(), 0, 0, 19); // mfcr
    case 30:
        return (19u << 26) | (reg() << 21) | (reg() << 16) | (reg() << 11) | (193 << 1); // crxor
    // Loads and stores through the data pointer.
    case 31: {
        const unsigned loads[] = {32, 34, 40}; // lwz, lbz, lhz
        return d_form(loads[rng() % 3], dest(), kBase, disp);
    }
    case 32:
        return d_form(rng() % 2 ? 36 : 38, reg(), kBase, disp); // stw, stb
    case 33:
        return d_form(44, reg(), kBase, disp); // sth
    case 36: {
        const unsigned loads[] = {33, 35, 41}; // lwzu, lbzu, lhzu
        return d_form(loads[rng() % 3], dest(), kBase2, 0);
    }
    case 37: {
        const unsigned stores[] = {37, 39, 45}; // stwu, stbu, sthu
        return d_form(stores[rng() % 3], reg(), kBase2, 0);
    }
    case 38: {
        const unsigned loads[] = {23, 87, 279}; // lwzx, lbzx, lhzx
        return x_form(dest(), kBase, kIndex, loads[rng() % 3]);
    }
    case 39: {
        const unsigned stores[] = {151, 215, 407}; // stwx, stbx, sthx
        return x_form(reg(), kBase, kIndex, stores[rng() % 3]);
    }
    // Forward branches inside the body: a CR test, and bl to the next instruction.
    case 34:
        if (index + 3 < length) return bc(rng() % 2 ? 12 : 4, rng() % 32, 4 * (1 + rng() % 3));
        return d_form(14, dest(), reg(), imm);
    case 40: // bcl: the generic handler branches, so the block leaves through `flow`
        if (index + 3 < length) return bc(rng() % 2 ? 20 : 12, rng() % 32, 8) | 1;
        return d_form(14, dest(), reg(), imm);
    default:
        return b(4, true); // bl .+4
    }
}

struct Snapshot {
    std::array<uint64_t, 32> gpr; // the upper halves must stay zero on the e500mc
    uint32_t cr, xer;
    uint64_t lr, ctr, pc;
    uint32_t msr;
    uint64_t instructions;
    std::vector<uint8_t> data;
    bool operator==(const Snapshot&) const = default;
};

Snapshot snapshot(TestVm& t) {
    const Core& c = t.cpu();
    const uint8_t* data = t.vm->ram.host(kData);
    return {c.gpr, c.cr,           c.xer,
            c.lr,  c.ctr,          c.pc,
            c.msr, c.instructions, std::vector<uint8_t>(data, data + 0x1010)};
}

// Both machines get the program at kCode, the same registers and a loop count.
void prepare(TestVm& t, const std::vector<uint32_t>& program, const std::array<uint32_t, 32>& regs,
             uint32_t loops) {
    for (size_t n = 0; n < program.size(); ++n)
        t.write32(kCode + 4 * n, program[n]);
    uint8_t* data = t.vm->ram.host(kData);
    for (unsigned n = 0; n < 0x1010; ++n) // no byte order reads the same
        data[n] = static_cast<uint8_t>(n * 37 + 11);
    Core& c = t.cpu();
    std::copy(regs.begin(), regs.end(), c.gpr.begin());
    c.gpr[kBase] = kData;
    c.gpr[kBase2] = kData + 0x800;
    c.gpr[kIndex] &= 0xfff;
    c.ctr = loops;
    c.pc = kCode;
}

EmuOptions interpreter_only() {
    EmuOptions o;
    o.jit = false;
    return o;
}

} // namespace

TEST_CASE("translated blocks agree with the interpreter on random loops", "[emu][jit]") {
    std::mt19937 rng(20261202);
    uint64_t translated = 0, links = 0;
    for (unsigned program_index = 0; program_index < 60; ++program_index) {
        const unsigned length = 4 + rng() % 70;
        std::vector<uint32_t> program;
        for (unsigned n = 0; n < length; ++n)
            program.push_back(random_instruction(rng, n, length));
        program.push_back(bc(16, 0, -4 * static_cast<int32_t>(length))); // bdnz to the top
        program.push_back(b(0));                                         // then spin
        std::array<uint32_t, 32> regs;
        for (auto& r : regs)
            r = rng() % 3 ? rng() : rng() & 0xff;
        const uint32_t loops = 100 + rng() % 400;

        TestVm jit, interp(1, interpreter_only());
        REQUIRE(jit.cpu().shared.jit.active());
        REQUIRE_FALSE(interp.cpu().shared.jit.active());
        prepare(jit, program, regs, loops);
        prepare(interp, program, regs, loops);
        // Slices of odd sizes, then long ones: each ends mid-block somewhere.
        const uint64_t slices[] = {1, 7, 333, 1000, 4097, 8192, 8192, 20000, 65536, 65536};
        for (uint64_t slice : slices) {
            jit.cpu().run(slice);
            interp.cpu().run(slice);
            INFO("program " << program_index << " (" << length << " instructions, " << loops
                            << " loops), slice " << slice << ", pc 0x" << std::hex
                            << interp.cpu().pc);
            REQUIRE(snapshot(jit) == snapshot(interp));
        }
        // The body was translated (a block whose start is reached only after
        // a not-taken branch becomes hot later than the loop's top).
        CHECK(jit.cpu().shared.jit.stats.blocks > 0);
        translated += jit.cpu().stats.translated;
        links += jit.cpu().shared.jit.stats.links;
    }
    CHECK(translated > 100000);
    CHECK(links > 0);
}

TEST_CASE("a store into the running block is seen at once", "[emu][jit]") {
    // The loop rewrites its own third instruction (addi r3,r3,1 -> addi
    // r3,r3,2) after 50 passes; the block is translated long before that.
    const uint32_t add_one = d_form(14, 3, 3, 1), add_two = d_form(14, 3, 3, 2);
    const std::vector<uint32_t> program = {
        d_form(11, 0, 4, 50),        // cmpwi r4,50
        bc(4, 2, 8),                 // bne +8
        d_form(36, 5, kBase, 0x100), // stw r5, 0x100(r30): r30 points at the addi below
        add_one,                     // addi r3,r3,1  (0x10c)
        d_form(14, 4, 4, 1),         // addi r4,r4,1
        bc(16, 0, -20),              // bdnz to the top
        b(0),
    };
    for (bool use_jit : {true, false}) {
        TestVm t(1, use_jit ? EmuOptions{} : interpreter_only());
        std::array<uint32_t, 32> regs{};
        prepare(t, program, regs, 100);
        Core& c = t.cpu();
        c.gpr[kBase] = kCode + 0xc - 0x100;
        c.gpr[5] = add_two;
        c.run(100000);
        INFO((use_jit ? "translated" : "interpreted"));
        CHECK(c.pc == kCode + 4 * 6);
        // Passes 1-50 added 1; the 51st stored the new word just before its
        // addi, which already adds 2, as do the 49 passes after it.
        CHECK(c.gpr[3] == 50 + 50 * 2);
        if (use_jit) CHECK(c.stats.translated > 0);
    }
}

TEST_CASE("calls, returns and computed jumps inside a page stay in translated code", "[emu][jit]") {
    // A loop that calls a function (bl/blr) and jumps through LR to one of two
    // cases picked by the loop count, the way a switch or a return does.
    constexpr uint32_t kBlr = 0x4e800020;
    std::vector<uint32_t> program(0x70 / 4, 0);
    auto at = [&](uint32_t offset, uint32_t word) { program[offset / 4] = word; };
    at(0x00, d_form(14, 3, 0, 0));            // li r3,0
    at(0x04, b(0x40 - 0x04, true));           // loop: bl func
    at(0x08, d_form(14, 4, 4, 1));            // addi r4,r4,1
    at(0x0c, rlwinm(6, 4, 3, 28, 28, false)); // r6 = (r4 & 1) * 8
    at(0x10, d_form(15, 7, 0, 1));            // lis r7,1 (kCode)
    at(0x14, d_form(24, 7, 7, 0x60));         // ori r7,r7,0x60
    at(0x18, x_form(7, 7, 6, 266));           // add r7,r7,r6
    at(0x1c, spr_form(7, 8, 467));            // mtlr r7
    at(0x20, kBlr);                           // to case 0 or case 1
    at(0x30, bc(16, 0, 0x04 - 0x30));         // back: bdnz loop
    at(0x34, b(0));                           // done
    at(0x40, d_form(14, 3, 3, 3));            // func: addi r3,r3,3
    at(0x44, kBlr);
    at(0x60, d_form(14, 8, 8, 1)); // case 0: addi r8,r8,1
    at(0x64, b(0x30 - 0x64));
    at(0x68, d_form(14, 9, 9, 1)); // case 1: addi r9,r9,1
    at(0x6c, b(0x30 - 0x6c));
    static_assert(TestVm::kCodeBase == 0x10000);
    for (bool use_jit : {true, false}) {
        TestVm t(1, use_jit ? EmuOptions{} : interpreter_only());
        prepare(t, program, std::array<uint32_t, 32>{}, 1000);
        Core& c = t.cpu();
        for (int slice = 0; slice < 10; ++slice)
            c.run(3001);
        INFO((use_jit ? "translated" : "interpreted"));
        CHECK(c.pc == kCode + 0x34);
        CHECK(c.gpr[3] == 3000);
        CHECK(c.gpr[4] == 1000);
        CHECK(c.gpr[8] == 500);
        CHECK(c.gpr[9] == 500);
        if (use_jit) CHECK(c.stats.translated > 10000);
    }
}

TEST_CASE("branches, calls and straight-line code across pages stay in translated code",
          "[emu][jit]") {
    // A loop that runs off the end of one page into the next, branches back
    // across the boundary, and calls a function two pages away.
    constexpr uint32_t kBlr = 0x4e800020;
    std::vector<uint32_t> program(0x2008 / 4, 0);
    auto at = [&](uint32_t offset, uint32_t word) { program[offset / 4] = word; };
    at(0x0ff0, d_form(14, 3, 3, 1));        // top: addi r3,r3,1
    at(0x0ff4, b(0x2000 - 0x0ff4, true));   // bl func (two pages on)
    at(0x0ff8, d_form(14, 4, 4, 1));        // addi r4,r4,1
    at(0x0ffc, d_form(14, 5, 5, 2));        // addi r5,r5,2 (the page's last word)
    at(0x1000, d_form(14, 6, 6, 3));        // addi r6,r6,3 (the next page's first)
    at(0x1004, bc(16, 0, 0x0ff0 - 0x1004)); // bdnz top
    at(0x1008, b(0));                       // done
    at(0x2000, d_form(14, 7, 7, 1));        // func: addi r7,r7,1
    at(0x2004, kBlr);
    for (bool use_jit : {true, false}) {
        TestVm t(1, use_jit ? EmuOptions{} : interpreter_only());
        prepare(t, program, std::array<uint32_t, 32>{}, 5000);
        Core& c = t.cpu();
        c.pc = kCode + 0x0ff0;
        for (int slice = 0; slice < 10; ++slice)
            c.run(4099);
        INFO((use_jit ? "translated" : "interpreted"));
        CHECK(c.pc == kCode + 0x1008);
        CHECK(c.gpr[3] == 5000);
        CHECK(c.gpr[4] == 5000);
        CHECK(c.gpr[5] == 10000);
        CHECK(c.gpr[6] == 15000);
        CHECK(c.gpr[7] == 5000);
        if (use_jit) CHECK(c.stats.translated > 30000);
    }
}

TEST_CASE("a linked exit short of budget stays linked once", "[emu][jit]") {
    // Two blocks that jump to each other: every slice ends with a linked exit
    // taking its ordinary path for want of budget; that must not list the
    // same link again.
    const std::vector<uint32_t> program = {
        d_form(14, 3, 3, 1), // top: addi r3,r3,1
        b(4),                // b .+4 (a block boundary)
        d_form(14, 4, 4, 1), // addi r4,r4,1
        bc(16, 0, -12),      // bdnz top
        b(0),
    };
    TestVm jit;
    prepare(jit, program, std::array<uint32_t, 32>{}, 1000000);
    for (int slice = 0; slice < 300; ++slice)
        jit.cpu().run(997);
    // Slices that end mid-loop make blocks start at every slot: a few links.
    const uint64_t links = jit.cpu().shared.jit.stats.links;
    CHECK(links >= 2);
    CHECK(links <= 4);
    for (int slice = 0; slice < 300; ++slice)
        jit.cpu().run(997);
    CHECK(jit.cpu().shared.jit.stats.links == links);
    CHECK(jit.cpu().gpr[3] == (600 * 997 + 3) / 4);
}

TEST_CASE("a full code arena is emptied and translation starts again", "[emu][jit]") {
    // 150 two-instruction blocks (addi, then b to the next one) in a loop:
    // far more host code than one 4 KiB arena holds.
    std::vector<uint32_t> program;
    for (unsigned n = 0; n < 150; ++n) {
        program.push_back(d_form(14, 3 + n % 20, 3 + n % 20, n + 1)); // addi rX,rX,n+1
        program.push_back(b(4));
    }
    program.push_back(bc(16, 0, -4 * static_cast<int32_t>(program.size())));
    program.push_back(b(0));
    EmuOptions small_arena;
    small_arena.jit_arena_bytes = 4096;
    TestVm jit(1, small_arena), interp(1, interpreter_only());
    std::array<uint32_t, 32> regs{};
    prepare(jit, program, regs, 200);
    prepare(interp, program, regs, 200);
    for (int slice = 0; slice < 20; ++slice) {
        jit.cpu().run(8192);
        interp.cpu().run(8192);
        REQUIRE(snapshot(jit) == snapshot(interp));
    }
    CHECK(jit.cpu().pc == kCode + 4 * 301);
    const auto& stats = jit.cpu().shared.jit.stats;
    CHECK(stats.flushes >= 2); // a second flush: translation went on after the first
    CHECK(jit.cpu().stats.translated > 0);
}

#else

TEST_CASE("hosts other than x86-64 interpret everything", "[emu][jit]") {
    TestVm t;
    CHECK_FALSE(t.cpu().shared.jit.active());
}

#endif
