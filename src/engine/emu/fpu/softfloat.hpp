// Exact IEEE arithmetic on double operands with one final rounding, in
// software. The FPU needs what the host FPU does not report: whether the
// rounded result's fraction was incremented (FPSCR[FR]), tininess detected
// *before* rounding (Power ISA 4.4.4; x86 detects it after), the
// exponent-adjusted results of enabled overflow/underflow, and correct single
// precision rounding of double operands (no double rounding). Working on
// integers also keeps the host's floating-point environment untouched.
#pragma once

#include <cstdint>

#include "engine/emu/uint128.hpp"

namespace vmc::emu::fpu::soft {

// Portable: 32-bit hosts have no unsigned __int128.
using u128 = emu::U128;

enum class Rounding : uint8_t {
    Nearest = 0,
    TowardZero = 1,
    TowardPlusInf = 2,
    TowardMinusInf = 3
};
enum class Precision : uint8_t { Double, Single };

// A finite nonzero value (-1)^sign * sig * 2^exp, exact (or with a sticky bit
// far below any rounding position).
struct Exact {
    bool sign = false;
    int32_t exp = 0;
    u128 sig = 0;
};

struct RoundControl {
    Rounding mode = Rounding::Nearest;
    Precision precision = Precision::Double;
    bool overflow_enabled = false;  // FPSCR[OE]: deliver the exponent-adjusted result
    bool underflow_enabled = false; // FPSCR[UE]: likewise for tiny results
};

struct RoundFlags {
    bool inexact = false;     // FI
    bool incremented = false; // FR
    bool overflow = false;
    bool underflow = false;
};

// Rounds `value` to the precision in `ctl` and returns it as an IEEE double
// bit pattern (single results are exactly representable as doubles).
uint64_t round_pack(const Exact& value, const RoundControl& ctl, RoundFlags& flags);

struct IntegerRounding {
    u128 magnitude = 0; // valid unless too_large
    bool inexact = false;
    bool incremented = false; // magnitude rounded away from zero
    bool too_large = false;   // magnitude needs more than 64 bits
};

// Rounds to an integer in the given mode (fctiw and friends).
IntegerRounding round_to_integer(const Exact& value, Rounding mode);

// Operand unpacking. Precondition for to_exact: finite and nonzero.
Exact to_exact(uint64_t bits);

// Exact operations (precondition: finite nonzero operands, unless noted).
Exact add(const Exact& a, const Exact& b, bool& exact_zero);
Exact multiply(const Exact& a, const Exact& b);
Exact divide(const Exact& a, const Exact& b);
Exact square_root(const Exact& a); // a positive

} // namespace vmc::emu::fpu::soft
