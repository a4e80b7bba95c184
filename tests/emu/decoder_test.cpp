#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <utility>

#include "engine/emu/decode.hpp"

using namespace vmc::emu;

TEST_CASE("decoder: known encodings reach their instruction-list line", "[emu][decode]") {
    struct Case {
        uint32_t word;
        const char* mnemonic;
    };
    const Case cases[] = {
        {0x38610010, "addi"},  // addi r3,r1,16
        {0x7c642a14, "add"},   // add r3,r4,r5
        {0x7c642e14, "add"},   // addo r3,r4,r5 (OE folded onto the same line)
        {0x7c6429d6, "mullw"}, // mullw r3,r4,r5
        {0x7c6423d6, "divw"},  // divw r3,r4,r4 ... XO-form 491
        {0x7c64295e, "isel"},  // isel r3,r4,r5,5
        {0x4e800020, "bclr"},  // blr
        {0x4e800420, "bcctr"}, // bctr
        {0x4c000064, "rfi"},   {0x7c0004ac, "sync"},   {0x7c0006ac, "mbar"},
        {0x7c0007a4, "tlbwe"}, {0x7c6802a6, "mfspr"},  // mflr r3
        {0x7c0007ec, "dcbz"},                          // dcbz 0,r0
        {0x7c00007c, "wait"},  {0x7c00419c, "msgsnd"}, // msgsnd r8
        {0xfc600890, "fp"},                            // fmr f3,f1 -> the FPU
        {0x80610008, "lwz"},   {0x7c60242c, "lwbrx"},
    };
    for (const auto& c : cases) {
        INFO(std::hex << c.word);
        CHECK(std::string(decode(c.word).mnemonic) == c.mnemonic);
    }
}

TEST_CASE("decoder: what neither core has decodes to illegal", "[emu][decode]") {
    const uint32_t illegal[] = {
        0x7c6424aa, // lswi r3,r4,4
        0x7c642868, // lbarx r3,r4,r5
        0x7c6428e8, // lharx r3,r4,r5
        0x7c642d6d, // stbcx. r3,r4,r5
        0x00000000, // opcode 0
    };
    for (uint32_t w : illegal) {
        INFO(std::hex << w);
        CHECK(decode(w).handler == &illegal_insn);
    }
}

// A 32-bit core raises the illegal-instruction interrupt for them
// (integer64_test.cpp runs them on both cores).
TEST_CASE("decoder: the 64-bit instructions are marked 64-bit only", "[emu][decode]") {
    const std::pair<uint32_t, const char*> only64[] = {
        {0x7c6300f4, "popcntb"}, {0xe8610000, "ld"},    {0x78630000, "rld"}, {0xf8610001, "std"},
        {0x7c6407b4, "extsw"},   {0x7c6429d2, "mulld"}, {0x7c242800, "cmp"},
    };
    for (const auto& [w, mnemonic] : only64) {
        INFO(std::hex << w);
        CHECK(std::string(decode(w).mnemonic) == mnemonic);
        // cmp with L=1 is the one 64-bit form of an instruction both cores have.
        CHECK(static_cast<bool>(decode(w).flags & k64) == (std::string(mnemonic) != "cmp"));
    }
}

TEST_CASE("decoder: every line claims at least one slot and mnemonics are unique",
          "[emu][decode]") {
    std::set<std::string> names;
    for (const InsnInfo& info : instruction_list()) {
        uint32_t word =
            (static_cast<uint32_t>(info.primary) << 26) | (static_cast<uint32_t>(info.xo) << 1);
        CHECK(decode(word).handler == info.handler);
        CHECK(names.insert(info.mnemonic).second);
    }
    CHECK(names.size() > 150);
}

TEST_CASE("disassembler prints operands from the list", "[emu][decode]") {
    CHECK(disassemble(0x38610010, 0) == "addi r3,r1,16");
    CHECK(disassemble(0x7c642e15, 0) == "addo. r3,r4,r5");
    CHECK(disassemble(0x48000011, 0x100) == "bl 0x110");
    CHECK(disassemble(0x00000000, 0) == ".long 0x00000000");
}
