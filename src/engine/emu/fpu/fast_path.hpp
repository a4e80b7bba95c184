// FP arithmetic in round-to-nearest on the host FPU, for the common case:
// normal operands (singles for the single-precision forms) and a normal
// result far from the overflow and underflow thresholds. FI and FR come
// from error-free transformations (the exact rounding error as a sum of
// host numbers), so the result and flags are those of the exact soft model
// (tests/fp_oracle checks the two agree); anything else is declined and
// takes the soft model.
#pragma once

#include "engine/emu/fpu/arithmetic.hpp"

namespace vmc::emu::fpu {

// True when `out` holds the result of `op` (same operand roles as
// arithmetic()); false when the case needs the soft model.
bool fast_arithmetic(ArithOp op, uint64_t a, uint64_t b, uint64_t c, uint32_t fpscr, bool single,
                     ArithResult& out);

} // namespace vmc::emu::fpu
