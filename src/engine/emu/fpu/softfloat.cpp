#include "engine/emu/fpu/softfloat.hpp"

#include <bit>
#include <utility>

namespace vmc::emu::fpu::soft {
namespace {

int msb_index(u128 v) {
    const auto hi = static_cast<uint64_t>(v >> 64);
    if (hi != 0) {
        return 127 - std::countl_zero(hi);
    }
    return 63 - std::countl_zero(static_cast<uint64_t>(v));
}

// Shifts right, folding every lost bit into bit 0 ("jamming") so that a
// later rounding still sees that the value was not exact.
u128 shift_right_jam(u128 v, int64_t count) {
    if (count <= 0) {
        return v;
    }
    if (count >= 128) {
        return v != 0 ? 1 : 0;
    }
    const u128 lost = v & ((u128(1) << count) - 1);
    return (v >> count) | (lost != 0 ? 1 : 0);
}

// Moves the leading one of a nonzero significand to bit `position`.
Exact normalized(Exact v, int position) {
    const int shift = position - msb_index(v.sig);
    if (shift >= 0) {
        v.sig <<= shift;
    } else {
        v.sig = shift_right_jam(v.sig, -shift);
    }
    v.exp -= shift;
    return v;
}

struct Format {
    int precision; // significand bits including the leading one
    int emin;      // exponent of the smallest normal
    int emax;
    int adjust; // exponent bias adjustment for enabled overflow/underflow
};

constexpr Format format_of(Precision p) {
    return p == Precision::Double ? Format{53, -1022, 1023, 1536} : Format{24, -126, 127, 192};
}

bool rounds_up(Rounding mode, bool sign, bool lsb, bool guard, bool sticky) {
    switch (mode) {
    case Rounding::Nearest:
        return guard && (sticky || lsb);
    case Rounding::TowardZero:
        return false;
    case Rounding::TowardPlusInf:
        return !sign && (guard || sticky);
    case Rounding::TowardMinusInf:
        return sign && (guard || sticky);
    }
    return false;
}

// Packs sign * sig * 2^lsb_exp (exactly representable as a double) as bits.
uint64_t pack_double(bool sign, u128 sig, int lsb_exp) {
    const uint64_t sign_bit = sign ? (uint64_t(1) << 63) : 0;
    if (sig == 0) {
        return sign_bit;
    }
    const int msb = msb_index(sig);
    const int exponent = lsb_exp + msb; // of the leading one
    // Out-of-range exponents only arise from enabled overflow/underflow whose
    // adjustment is not enough (an undefined result): saturate them.
    if (exponent > 1023) {
        return sign_bit | (uint64_t(0x7FF) << 52);
    }
    if (lsb_exp < -1074) {
        const int64_t drop = int64_t(-1074) - lsb_exp;
        return sign_bit | (drop >= 128 ? 0 : static_cast<uint64_t>(sig >> drop));
    }
    if (exponent >= -1022) {
        const auto mant = static_cast<uint64_t>(sig << (52 - msb)) & ((uint64_t(1) << 52) - 1);
        return sign_bit | (uint64_t(exponent + 1023) << 52) | mant;
    }
    // Double denormal: lsb_exp is -1074 here by construction.
    return sign_bit | static_cast<uint64_t>(sig << (lsb_exp + 1074));
}

uint64_t largest_finite(bool sign, const Format& f) {
    const u128 sig = (u128(1) << f.precision) - 1;
    return pack_double(sign, sig, f.emax - f.precision + 1);
}

uint64_t infinity(bool sign) {
    return (sign ? (uint64_t(1) << 63) : 0) | (uint64_t(0x7FF) << 52);
}

} // namespace

uint64_t round_pack(const Exact& value, const RoundControl& ctl, RoundFlags& flags) {
    const Format f = format_of(ctl.precision);
    flags = {};
    int exponent = value.exp + msb_index(value.sig); // of the leading one, before rounding
    int exp_shift = 0;                               // the delivered result is value * 2^exp_shift
    const bool tiny = exponent < f.emin;
    if (tiny && ctl.underflow_enabled) {
        // Enabled underflow: the result is delivered with its exponent raised
        // by the bias adjustment, rounded to full precision.
        exp_shift = f.adjust;
        exponent += f.adjust;
        flags.underflow = true;
    }
    // Only a disabled underflow denormalizes. An enabled one keeps full
    // precision even when the adjustment does not bring the exponent back
    // into range (the ISA leaves that case undefined; this is what QEMU does).
    const bool denormalize = exponent < f.emin && exp_shift == 0;
    const int lsb_exp = (denormalize ? f.emin : exponent) - (f.precision - 1);
    const int64_t drop = int64_t(lsb_exp) - (int64_t(value.exp) + exp_shift);
    u128 sig = value.sig;
    bool guard = false;
    bool sticky = false;
    if (drop > 128) {
        sticky = true; // the value lies entirely below the rounding position
        sig = 0;
    } else if (drop > 0) {
        const int below = static_cast<int>(drop) - 1;
        guard = ((sig >> below) & 1) != 0;
        sticky = below > 0 && (sig & ((u128(1) << below) - 1)) != 0;
        sig = drop == 128 ? 0 : sig >> drop;
    } else {
        sig <<= -drop;
    }
    flags.inexact = guard || sticky;
    int out_lsb = lsb_exp;
    if (rounds_up(ctl.mode, value.sign, (sig & 1) != 0, guard, sticky)) {
        sig += 1;
        flags.incremented = true;
        if (sig >> f.precision) {
            sig >>= 1;
            out_lsb += 1;
        }
    }
    if (tiny && !ctl.underflow_enabled && flags.inexact) {
        flags.underflow = true;
    }
    const int final_exponent = out_lsb + msb_index(sig);
    if (sig != 0 && final_exponent > f.emax) {
        flags.overflow = true;
        if (ctl.overflow_enabled) {
            return pack_double(value.sign, sig, out_lsb - f.adjust);
        }
        flags.inexact = true;
        const bool to_infinity = ctl.mode == Rounding::Nearest ||
                                 (ctl.mode == Rounding::TowardPlusInf && !value.sign) ||
                                 (ctl.mode == Rounding::TowardMinusInf && value.sign);
        flags.incremented = to_infinity;
        return to_infinity ? infinity(value.sign) : largest_finite(value.sign, f);
    }
    return pack_double(value.sign, sig, out_lsb);
}

IntegerRounding round_to_integer(const Exact& value, Rounding mode) {
    IntegerRounding r;
    if (value.exp >= 0) {
        // Already an integer; anything this large is out of every range we convert to.
        r.too_large = value.exp > 64 || msb_index(value.sig) + value.exp > 64;
        r.magnitude = r.too_large ? 0 : value.sig << value.exp;
        return r;
    }
    const int64_t drop = -int64_t(value.exp);
    bool guard = false;
    bool sticky = false;
    u128 sig = value.sig;
    if (drop > 128) {
        sticky = true;
        sig = 0;
    } else {
        const int below = static_cast<int>(drop) - 1;
        guard = ((sig >> below) & 1) != 0;
        sticky = below > 0 && (sig & ((u128(1) << below) - 1)) != 0;
        sig = drop == 128 ? 0 : sig >> drop;
    }
    r.inexact = guard || sticky;
    if (rounds_up(mode, value.sign, (sig & 1) != 0, guard, sticky)) {
        sig += 1;
        r.incremented = true;
    }
    r.too_large = msb_index(sig) > 64;
    r.magnitude = sig;
    return r;
}

Exact to_exact(uint64_t bits) {
    Exact e;
    e.sign = (bits >> 63) != 0;
    const auto biased = static_cast<int>((bits >> 52) & 0x7FF);
    const uint64_t mant = bits & ((uint64_t(1) << 52) - 1);
    if (biased == 0) {
        e.sig = mant;
        e.exp = -1074;
    } else {
        e.sig = mant | (uint64_t(1) << 52);
        e.exp = biased - 1075;
    }
    return e;
}

Exact add(const Exact& a, const Exact& b, bool& exact_zero) {
    // Both leading ones at bit 124: a carry still fits, and the smaller
    // operand keeps 70+ bits below any rounding position after alignment.
    Exact x = normalized(a, 124);
    Exact y = normalized(b, 124);
    if (x.exp < y.exp) {
        std::swap(x, y);
    }
    y.sig = shift_right_jam(y.sig, int64_t(x.exp) - y.exp);
    exact_zero = false;
    Exact r;
    r.exp = x.exp;
    if (x.sign == y.sign) {
        r.sign = x.sign;
        r.sig = x.sig + y.sig;
    } else if (x.sig >= y.sig) {
        r.sign = x.sign;
        r.sig = x.sig - y.sig;
    } else {
        r.sign = y.sign;
        r.sig = y.sig - x.sig;
    }
    exact_zero = r.sig == 0;
    return r;
}

Exact multiply(const Exact& a, const Exact& b) {
    Exact x = normalized(a, 62);
    Exact y = normalized(b, 62);
    Exact r;
    r.sign = x.sign != y.sign;
    r.sig = x.sig * y.sig; // < 2^126
    r.exp = x.exp + y.exp;
    return r;
}

Exact divide(const Exact& a, const Exact& b) {
    const Exact x = normalized(a, 125);
    const Exact y = normalized(b, 62);
    Exact r;
    r.sign = x.sign != y.sign;
    const u128 q = x.sig / y.sig; // >= 2^62
    const u128 rem = x.sig % y.sig;
    r.sig = (q << 1) | (rem != 0 ? 1 : 0);
    r.exp = x.exp - y.exp - 1;
    return r;
}

Exact square_root(const Exact& a) {
    Exact x = normalized(a, 124);
    if (x.exp & 1) { // make the exponent even so it halves exactly
        x.sig <<= 1;
        x.exp -= 1;
    }
    // Bitwise integer square root of a 126-bit value: a 63-bit root.
    u128 rem = x.sig;
    u128 root = 0;
    u128 one = u128(1) << 126;
    while (one > rem) {
        one >>= 2;
    }
    while (one != 0) {
        if (rem >= root + one) {
            rem -= root + one;
            root = (root >> 1) + one;
        } else {
            root >>= 1;
        }
        one >>= 2;
    }
    Exact r;
    r.sign = false;
    r.sig = (root << 1) | (rem != 0 ? 1 : 0);
    r.exp = x.exp / 2 - 1;
    return r;
}

} // namespace vmc::emu::fpu::soft
