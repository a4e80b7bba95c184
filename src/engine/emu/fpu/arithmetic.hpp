// The value-and-flags part of the FP arithmetic instructions, before the
// result is committed to the FPR file and FPSCR (see execute()).
#pragma once

#include <cstdint>

namespace vmc::emu::fpu {

struct ArithResult {
    uint64_t value = 0;
    uint32_t raised = 0;              // FPSCR exception bits this operation signals
    bool fraction_rounded_up = false; // FR
    bool inexact = false;             // FI
};

enum class ArithOp : uint8_t { Add, Sub, Mul, Div, MulAdd, MulSub, NegMulAdd, NegMulSub };

// `fpscr` supplies the rounding mode and the OE/UE enables. Operand roles
// follow the instruction fields: frA op frB, frA * frC, frA * frC +/- frB.
ArithResult arithmetic(ArithOp op, uint64_t a, uint64_t b, uint64_t c, uint32_t fpscr, bool single);
ArithResult round_to_single(uint64_t b, uint32_t fpscr);                    // frsp
ArithResult reciprocal_estimate(uint64_t b, uint32_t fpscr);                // fres
ArithResult rsqrt_estimate(uint64_t b, uint32_t fpscr);                     // frsqrte
ArithResult convert_to_int32(uint64_t b, uint32_t fpscr, bool toward_zero); // fctiw[z]

} // namespace vmc::emu::fpu
