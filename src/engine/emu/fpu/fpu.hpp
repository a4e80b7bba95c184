// The classic PowerPC FPU (Power ISA 2.06 Book I, chapter 4) as the e500mc
// implements it: pure functions over the FP register file and FPSCR, no
// knowledge of memory, the MMU or exceptions delivery. The core decodes
// primary opcodes 59 and 63 to execute(); FP loads and stores use the
// format conversions below.
#pragma once

#include <array>
#include <cstdint>

namespace vmc::emu::fpu {

struct FpState {
    std::array<uint64_t, 32> fpr{}; // IEEE double bit patterns
    uint32_t fpscr = 0;
};

enum class Outcome {
    Ok,
    Illegal,          // not an FP instruction the e500mc implements: program interrupt (illegal)
    EnabledException, // result written per the ISA, and an enabled FP exception is now pending:
                      // the core raises a program interrupt (ESR[FP]) when MSR[FE0|FE1] != 0
};

// Executes one instruction with primary opcode 59 or 63. `cr` is the whole
// condition register: Rc=1 forms set CR1 from FPSCR[FX,FEX,VX,OX], compares set CR field BF.
Outcome execute(uint32_t insn, FpState& state, uint32_t& cr);

// lfs / stfs conversions (Book I 4.6.2/4.6.3: no rounding, no exceptions).
uint64_t single_to_double(uint32_t single);
uint32_t double_to_single(uint64_t dbl);

} // namespace vmc::emu::fpu
