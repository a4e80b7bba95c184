// An exact reference for the classic PowerPC FPU (Power ISA 2.06 Book I
// chapter 4, the instructions the e500mc implements), written from the ISA
// text on MPFR arithmetic and sharing no code with src/engine/emu/fpu: every
// result is the exact value rounded once to the target format, with the
// FPSCR and CR effects the ISA specifies.
#pragma once

#include <array>
#include <cstdint>

namespace vmc::fp_oracle {

// The state an FP instruction reads and writes.
struct Machine {
    std::array<uint64_t, 32> fpr{};
    uint32_t fpscr = 0;
    uint32_t cr = 0;
};

enum class Trap : uint8_t {
    None,
    Enabled, // an enabled exception: a program interrupt when MSR[FE0|FE1] != 0
    Illegal, // not an instruction the e500mc implements
};

struct Expected {
    Machine after;
    Trap trap = Trap::None;
    // What the ISA leaves undefined: these bits of the FPSCR and of FRT are
    // not compared.
    uint32_t fpscr_undefined = 0;
    uint64_t target_undefined = 0;
    // fres/frsqrte: the result is an estimate within this relative error of
    // after.fpr[target] (the exact value correctly rounded); 0 = exact.
    double estimate_error = 0;
    unsigned target = 0; // FRT, or 32 when the instruction writes no FPR
};

// `fpscr` with FEX and VX as the sticky bits and enables make them (what
// any FPSCR a program can produce holds).
uint32_t consistent_fpscr(uint32_t fpscr);

// The architected effect of `insn` (primary opcode 59 or 63) on `before`.
Expected reference(uint32_t insn, const Machine& before);

} // namespace vmc::fp_oracle
