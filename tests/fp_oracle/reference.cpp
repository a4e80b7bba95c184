#include "fp_oracle/reference.hpp"

#include <bit>
#include <mpfr.h>

namespace vmc::fp_oracle {
namespace {

// ---- FPSCR, in the ISA's bit numbering (bit 0 = most significant) ----
constexpr uint32_t bit(unsigned n) {
    return 0x80000000u >> n;
}
constexpr uint32_t FX = bit(0), FEX = bit(1), VX = bit(2), OX = bit(3), UX = bit(4), ZX = bit(5),
                   XX = bit(6), VXSNAN = bit(7), VXISI = bit(8), VXIDI = bit(9), VXZDZ = bit(10),
                   VXIMZ = bit(11), VXVC = bit(12), FR = bit(13), FI = bit(14), VXSOFT = bit(21),
                   VXSQRT = bit(22), VXCVI = bit(23), VE = bit(24), OE = bit(25), UE = bit(26),
                   ZE = bit(27), XE = bit(28), NI = bit(29);
constexpr uint32_t INVALID_CAUSES =
    VXSNAN | VXISI | VXIDI | VXZDZ | VXIMZ | VXVC | VXSOFT | VXSQRT | VXCVI;
// The exception bits whose 0 -> 1 change sets FX (FX itself included for
// the explicit moves).
constexpr uint32_t EXCEPTIONS = FX | OX | UX | ZX | XX | INVALID_CAUSES;
constexpr unsigned FPRF_SHIFT = 12; // FPRF = ISA bits 15:19
constexpr uint32_t FPRF = 0x1Fu << FPRF_SHIFT;
constexpr uint32_t FPCC = 0x0Fu << FPRF_SHIFT;
constexpr uint32_t RESERVED = bit(20);

uint32_t summarised(uint32_t f) {
    f &= ~(FEX | VX);
    if (f & INVALID_CAUSES) f |= VX;
    const bool fex = ((f & VX) && (f & VE)) || ((f & OX) && (f & OE)) || ((f & UX) && (f & UE)) ||
                     ((f & ZX) && (f & ZE)) || ((f & XX) && (f & XE));
    return fex ? f | FEX : f;
}

// ---- IEEE double bit patterns ----
constexpr uint64_t SIGN = 1ull << 63;
bool negative(uint64_t v) {
    return (v & SIGN) != 0;
}
bool nan(uint64_t v) {
    return (v & ~SIGN) > 0x7FF0000000000000ull;
}
bool snan(uint64_t v) {
    return nan(v) && !(v & (1ull << 51));
}
bool inf(uint64_t v) {
    return (v & ~SIGN) == 0x7FF0000000000000ull;
}
bool zero(uint64_t v) {
    return (v & ~SIGN) == 0;
}
uint64_t signed_zero(bool neg) {
    return neg ? SIGN : 0;
}
uint64_t signed_inf(bool neg) {
    return (neg ? SIGN : 0) | 0x7FF0000000000000ull;
}
constexpr uint64_t DEFAULT_NAN = 0x7FF8000000000000ull;

// ---- target formats ----
struct Format {
    mpfr_prec_t precision;
    mpfr_exp_t min_normal_exp; // MPFR exponent (value in [2^(e-1), 2^e)) of the least normal
    mpfr_exp_t max_exp;        // MPFR exponent of the largest finite value
    long quantum;              // log2 of the least denormal
    long adjust;               // exponent adjustment of enabled overflow/underflow results
    uint64_t max_finite;
};
constexpr Format DOUBLE{53, -1021, 1024, -1074, 1536, 0x7FEFFFFFFFFFFFFFull};
constexpr Format SINGLE{24, -125, 128, -149, 192, 0x47EFFFFFE0000000ull};

// Enough bits for any sum of a product of two doubles and a double.
constexpr mpfr_prec_t EXACT_PRECISION = 3400;

struct Mp {
    mpfr_t m;
    explicit Mp(mpfr_prec_t precision = EXACT_PRECISION) { mpfr_init2(m, precision); }
    Mp(const Mp&) = delete;
    Mp& operator=(const Mp&) = delete;
    ~Mp() { mpfr_clear(m); }
};

void load(mpfr_t to, uint64_t bits) {
    mpfr_set_d(to, std::bit_cast<double>(bits), MPFR_RNDN); // exact: to has >= 53 bits
}

uint64_t store(const mpfr_t from) {
    return std::bit_cast<uint64_t>(mpfr_get_d(from, MPFR_RNDN)); // representable by construction
}

mpfr_rnd_t mode_of(uint32_t fpscr) {
    switch (fpscr & 3) {
    case 0:
        return MPFR_RNDN;
    case 1:
        return MPFR_RNDZ;
    case 2:
        return MPFR_RNDU;
    default:
        return MPFR_RNDD;
    }
}

// What one rounding produced.
struct Rounded {
    uint64_t value = 0;
    uint32_t raised = 0; // OX UX XX
    bool fi = false, fr = false;
    bool fr_undefined = false;
    bool value_undefined = false;
};

// Whether `r` (the rounded value) is further from zero than `x`.
bool magnitude_grew(int ternary, const mpfr_t x) {
    return (ternary > 0 && mpfr_sgn(x) > 0) || (ternary < 0 && mpfr_sgn(x) < 0);
}

bool in_range(const mpfr_t r, const Format& f) {
    return mpfr_zero_p(r) || (mpfr_get_exp(r) >= f.min_normal_exp && mpfr_get_exp(r) <= f.max_exp);
}

// The exponent-adjusted result of an enabled overflow or underflow
// (Book I 4.4.4, 4.4.5): x * 2^shift rounded to the format's precision.
Rounded adjusted(const mpfr_t x, long shift, const Format& f, mpfr_rnd_t mode) {
    Mp y(mpfr_get_prec(x));
    mpfr_mul_2si(y.m, x, shift, MPFR_RNDN); // exact
    Mp r(f.precision);
    const int t = mpfr_set(r.m, y.m, mode);
    Rounded out;
    out.value = store(r.m);
    out.fi = t != 0;
    out.fr = magnitude_grew(t, y.m);
    if (t != 0) out.raised |= XX;
    // Still outside the format after the adjustment: the ISA leaves the result undefined.
    out.value_undefined = !in_range(r.m, f);
    return out;
}

// Rounds the exact nonzero value x to the format, per Book I 4.3.6 and the
// overflow/underflow rules of 4.4.4/4.4.5 (tininess before rounding).
Rounded round_to(const mpfr_t x, const Format& f, uint32_t fpscr) {
    const mpfr_rnd_t mode = mode_of(fpscr);
    Rounded out;
    const bool tiny = mpfr_get_exp(x) < f.min_normal_exp;
    if (tiny) {
        if (fpscr & UE) {
            out = adjusted(x, f.adjust, f, mode);
            out.raised |= UX;
            return out;
        }
        // Denormalise: round to a multiple of the least denormal.
        Mp scaled(mpfr_get_prec(x));
        mpfr_mul_2si(scaled.m, x, -f.quantum, MPFR_RNDN); // exact
        Mp integer(mpfr_get_prec(x) + 2);
        const int t = mpfr_rint(integer.m, scaled.m, mode);
        mpfr_mul_2si(integer.m, integer.m, f.quantum, MPFR_RNDN);
        if (mpfr_zero_p(integer.m)) {
            out.value = signed_zero(mpfr_signbit(x));
        } else {
            out.value = store(integer.m);
        }
        out.fi = t != 0;
        out.fr = magnitude_grew(t, scaled.m);
        if (t != 0) out.raised |= UX | XX;
        return out;
    }
    Mp r(f.precision);
    const int t = mpfr_set(r.m, x, mode);
    if (mpfr_get_exp(r.m) > f.max_exp) {
        if (fpscr & OE) {
            out = adjusted(x, -f.adjust, f, mode);
            out.raised |= OX;
            return out;
        }
        const bool neg = mpfr_signbit(x);
        const bool to_inf =
            mode == MPFR_RNDN || (mode == MPFR_RNDU && !neg) || (mode == MPFR_RNDD && neg);
        out.value = to_inf ? signed_inf(neg) : (f.max_finite | (neg ? SIGN : 0));
        out.raised = OX | XX;
        out.fi = true;
        out.fr_undefined = true; // Book I 4.4.4: FR is undefined for a disabled overflow
        return out;
    }
    out.value = store(r.m);
    out.fi = t != 0;
    out.fr = magnitude_grew(t, x);
    if (t != 0) out.raised |= XX;
    return out;
}

// The exact value of an operation that MPFR may not represent exactly
// (a quotient or square root) in EXACT_PRECISION bits: the truncated value
// nudged by half an ulp of that precision toward the discarded part, so that
// rounding it to any format rounds like the true value.
void with_sticky(mpfr_t x, int ternary_rz) {
    if (ternary_rz == 0) return;
    mpfr_prec_round(x, mpfr_get_prec(x) + 1, MPFR_RNDZ); // exact: one more bit
    if (mpfr_sgn(x) > 0)
        mpfr_nextabove(x);
    else
        mpfr_nextbelow(x);
}

// ---- instruction fields ----
struct Fields {
    uint32_t raw;
    unsigned primary() const { return raw >> 26; }
    unsigned t() const { return (raw >> 21) & 31; }
    unsigned a() const { return (raw >> 16) & 31; }
    unsigned b() const { return (raw >> 11) & 31; }
    unsigned c() const { return (raw >> 6) & 31; }
    unsigned xo5() const { return (raw >> 1) & 31; }
    unsigned xo10() const { return (raw >> 1) & 1023; }
    bool rc() const { return raw & 1; }
};

uint32_t fprf_class(uint64_t v, const Format& f) {
    const bool neg = negative(v);
    if (nan(v)) return 0x11;
    if (inf(v)) return neg ? 0x09 : 0x05;
    if (zero(v)) return neg ? 0x12 : 0x02;
    Mp x(53);
    load(x.m, v);
    const bool denormal = mpfr_get_exp(x.m) < f.min_normal_exp;
    if (denormal) return neg ? 0x18 : 0x14;
    return neg ? 0x08 : 0x04;
}

void set_cr1(Machine& m) {
    m.cr = (m.cr & ~0x0F000000u) | ((m.fpscr >> 4) & 0x0F000000u);
}

// An arithmetic result before it is written (Book I 4.4: what the rules of
// the exception that occurred say to write).
struct Result {
    uint64_t value = 0;
    uint32_t raised = 0;
    bool fi = false, fr = false, fr_undefined = false, value_undefined = false;
    bool negate_after = false; // fnmadd/fnmsub: the rounded result's sign is inverted
    bool estimate = false;
};

Result from(const Rounded& r) {
    Result out;
    out.value = r.value;
    out.raised = r.raised;
    out.fi = r.fi;
    out.fr = r.fr;
    out.fr_undefined = r.fr_undefined;
    out.value_undefined = r.value_undefined;
    return out;
}

Result exact(uint64_t v) {
    Result r;
    r.value = v;
    return r;
}

Result invalid(uint32_t cause) {
    Result r;
    r.value = DEFAULT_NAN;
    r.raised = cause;
    return r;
}

// Book I 4.3.2 (NaN operands): the first NaN of frA, frB, frC, quieted.
bool nan_operands(std::initializer_list<uint64_t> operands, Result& r) {
    bool found = false;
    for (uint64_t v : operands) {
        if (snan(v)) r.raised |= VXSNAN;
        if (!found && nan(v)) {
            r.value = v | (1ull << 51);
            found = true;
        }
    }
    return found;
}

// The sign of an exact zero sum (IEEE 754 6.3, which the ISA follows).
uint64_t zero_sum(bool a_neg, bool b_neg, uint32_t fpscr) {
    if (a_neg == b_neg) return signed_zero(a_neg);
    return signed_zero(mode_of(fpscr) == MPFR_RNDD);
}

// A finite nonzero exact value, rounded once.
Result finite(const mpfr_t exact_value, const Format& f, uint32_t fpscr) {
    return from(round_to(exact_value, f, fpscr));
}

Result add(uint64_t a, uint64_t b, const Format& f, uint32_t fpscr) {
    Result r;
    if (nan_operands({a, b}, r)) return r;
    if (inf(a) && inf(b) && negative(a) != negative(b)) return invalid(VXISI);
    if (inf(a)) return exact(a);
    if (inf(b)) return exact(b);
    Mp x, y, s;
    load(x.m, a);
    load(y.m, b);
    mpfr_add(s.m, x.m, y.m, MPFR_RNDZ); // exact
    if (mpfr_zero_p(s.m)) return exact(zero_sum(negative(a), negative(b), fpscr));
    return finite(s.m, f, fpscr);
}

Result multiply(uint64_t a, uint64_t c, const Format& f, uint32_t fpscr) {
    Result r;
    if (nan_operands({a, c}, r)) return r;
    const bool neg = negative(a) != negative(c);
    if ((inf(a) && zero(c)) || (zero(a) && inf(c))) return invalid(VXIMZ);
    if (inf(a) || inf(c)) return exact(signed_inf(neg));
    if (zero(a) || zero(c)) return exact(signed_zero(neg));
    Mp x, y, p;
    load(x.m, a);
    load(y.m, c);
    mpfr_mul(p.m, x.m, y.m, MPFR_RNDZ); // exact
    return finite(p.m, f, fpscr);
}

Result divide(uint64_t a, uint64_t b, const Format& f, uint32_t fpscr) {
    Result r;
    if (nan_operands({a, b}, r)) return r;
    const bool neg = negative(a) != negative(b);
    if (inf(a) && inf(b)) return invalid(VXIDI);
    if (zero(a) && zero(b)) return invalid(VXZDZ);
    if (inf(a)) return exact(signed_inf(neg));
    if (inf(b) || zero(a)) return exact(signed_zero(neg));
    if (zero(b)) {
        r = exact(signed_inf(neg));
        r.raised = ZX;
        return r;
    }
    Mp x, y, q;
    load(x.m, a);
    load(y.m, b);
    with_sticky(q.m, mpfr_div(q.m, x.m, y.m, MPFR_RNDZ));
    return finite(q.m, f, fpscr);
}

// frA*frC + frB (frB already negated for the subtracting forms).
Result multiply_add(uint64_t a, uint64_t c, uint64_t b, const Format& f, uint32_t fpscr) {
    Result r;
    if (nan_operands({a, b, c}, r)) {
        // The product is formed first: 0 * Inf is invalid even beside a NaN frB.
        if ((inf(a) && zero(c)) || (zero(a) && inf(c))) r.raised |= VXIMZ;
        return r;
    }
    const bool product_neg = negative(a) != negative(c);
    if ((inf(a) && zero(c)) || (zero(a) && inf(c))) return invalid(VXIMZ);
    if (inf(a) || inf(c)) {
        if (inf(b) && negative(b) != product_neg) return invalid(VXISI);
        return exact(signed_inf(product_neg));
    }
    if (inf(b)) return exact(b);
    Mp x, y, z, s;
    load(x.m, a);
    load(y.m, c);
    load(z.m, b);
    mpfr_fma(s.m, x.m, y.m, z.m, MPFR_RNDZ); // exact
    if (mpfr_zero_p(s.m)) {
        const bool product_zero = zero(a) || zero(c);
        if (product_zero && zero(b)) return exact(zero_sum(product_neg, negative(b), fpscr));
        return exact(signed_zero(mode_of(fpscr) == MPFR_RNDD));
    }
    return finite(s.m, f, fpscr);
}

Result round_single(uint64_t b, uint32_t fpscr) {
    Result r;
    if (nan_operands({b}, r)) return r;
    if (inf(b) || zero(b)) return exact(b);
    Mp x;
    load(x.m, b);
    return finite(x.m, SINGLE, fpscr);
}

// fres: an estimate of 1/frB within 1/256, single precision.
Result reciprocal_estimate(uint64_t b, uint32_t fpscr) {
    Result r;
    if (nan_operands({b}, r)) return r;
    if (zero(b)) {
        r = exact(signed_inf(negative(b)));
        r.raised = ZX;
        return r;
    }
    if (inf(b)) return exact(signed_zero(negative(b)));
    Mp one, x, q;
    mpfr_set_ui(one.m, 1, MPFR_RNDN);
    load(x.m, b);
    with_sticky(q.m, mpfr_div(q.m, one.m, x.m, MPFR_RNDZ));
    r = finite(q.m, SINGLE, fpscr);
    r.raised &= ~XX; // XX is not among the bits fres alters
    r.estimate = true;
    return r;
}

// frsqrte: an estimate of 1/sqrt(frB) within 1/32, double precision.
Result rsqrt_estimate(uint64_t b, uint32_t fpscr) {
    Result r;
    if (nan_operands({b}, r)) return r;
    if (zero(b)) {
        r = exact(signed_inf(negative(b)));
        r.raised = ZX;
        return r;
    }
    if (negative(b)) return invalid(VXSQRT);
    if (inf(b)) return exact(0);
    Mp x, q;
    load(x.m, b);
    with_sticky(q.m, mpfr_rec_sqrt(q.m, x.m, MPFR_RNDZ));
    r = finite(q.m, DOUBLE, fpscr);
    r.raised &= ~XX;
    r.estimate = true;
    return r;
}

// fctiw[z]: round to a 32-bit signed integer in FRT[32:63].
Result to_int32(uint64_t b, uint32_t fpscr, bool toward_zero) {
    Result r;
    if (nan(b)) {
        r.raised = VXCVI | (snan(b) ? VXSNAN : 0);
        r.value = 0x80000000u;
        return r;
    }
    if (inf(b)) {
        r.raised = VXCVI;
        r.value = negative(b) ? 0x80000000u : 0x7FFFFFFFu;
        return r;
    }
    Mp x, i;
    load(x.m, b);
    const int t = mpfr_rint(i.m, x.m, toward_zero ? MPFR_RNDZ : mode_of(fpscr));
    if (mpfr_cmp_si(i.m, INT32_MAX) > 0 || mpfr_cmp_si(i.m, INT32_MIN) < 0) {
        r.raised = VXCVI;
        r.value = negative(b) ? 0x80000000u : 0x7FFFFFFFu;
        return r;
    }
    r.value = static_cast<uint32_t>(static_cast<int32_t>(mpfr_get_si(i.m, MPFR_RNDN)));
    r.fi = t != 0;
    r.fr = magnitude_grew(t, x.m);
    if (t != 0) r.raised = XX;
    return r;
}

enum class Class : uint8_t { Arithmetic, Estimate, Conversion };

// Book I 4.4: writes the result unless an enabled invalid-operation or
// zero-divide exception suppresses it; sets FX for every exception bit the
// instruction changes from 0 to 1, then the summaries.
void commit(Expected& e, Fields in, Result r, const Format& f, Class kind) {
    Machine& m = e.after;
    const uint32_t before = m.fpscr;
    uint32_t fpscr = before & ~(FR | FI);
    const bool suppressed =
        ((r.raised & INVALID_CAUSES) && (before & VE)) || ((r.raised & ZX) && (before & ZE));
    if (!suppressed) {
        if (r.negate_after && !nan(r.value)) r.value ^= SIGN;
        if (&f == &SINGLE && nan(r.value)) r.value &= ~((1ull << 29) - 1);
        m.fpr[in.t()] = r.value;
        if (r.fi) fpscr |= FI;
        if (r.fr) fpscr |= FR;
        if (r.fr_undefined) e.fpscr_undefined |= FR;
        if (kind == Class::Conversion) {
            e.fpscr_undefined |= FPRF;                  // FPRF is undefined after fctiw[z]
            e.target_undefined = 0xFFFFFFFF00000000ull; // so is FRT[0:31]
        } else {
            fpscr = (fpscr & ~FPRF) | (fprf_class(r.value, f) << FPRF_SHIFT);
        }
        if (kind == Class::Estimate) {
            e.fpscr_undefined |= FR | FI;
            e.estimate_error = &f == &SINGLE ? 1.0 / 256 : 1.0 / 32;
        }
        if (r.value_undefined) {
            e.target_undefined = ~0ull;
            e.fpscr_undefined |= FPRF | FR | FI;
        }
    }
    fpscr |= r.raised;
    if (r.raised & ~before & EXCEPTIONS) fpscr |= FX;
    m.fpscr = summarised(fpscr);
    if (in.rc()) set_cr1(m);
    const uint32_t enables = before & (VE | OE | UE | ZE | XE);
    const bool enabled = ((r.raised & INVALID_CAUSES) && (enables & VE)) ||
                         ((r.raised & OX) && (enables & OE)) ||
                         ((r.raised & UX) && (enables & UE)) ||
                         ((r.raised & ZX) && (enables & ZE)) || ((r.raised & XX) && (enables & XE));
    e.trap = enabled ? Trap::Enabled : Trap::None;
    e.target = in.t();
}

// fcmpu/fcmpo (Book I 4.6.8).
void compare(Expected& e, Fields in, bool ordered) {
    Machine& m = e.after;
    const uint64_t a = m.fpr[in.a()], b = m.fpr[in.b()];
    uint32_t code;
    uint32_t raised = 0;
    if (nan(a) || nan(b)) {
        code = 1;
        if (snan(a) || snan(b)) {
            raised |= VXSNAN;
            if (ordered && !(m.fpscr & VE)) raised |= VXVC;
        } else if (ordered) {
            raised |= VXVC;
        }
    } else {
        Mp x(53), y(53);
        load(x.m, a);
        load(y.m, b);
        const int c = mpfr_cmp(x.m, y.m);
        code = c < 0 ? 8 : c > 0 ? 4 : 2;
    }
    const unsigned shift = 28 - 4 * (in.t() >> 2);
    m.cr = (m.cr & ~(0xFu << shift)) | (code << shift);
    uint32_t fpscr = (m.fpscr & ~FPCC) | (code << FPRF_SHIFT) | raised;
    if (raised & ~m.fpscr & EXCEPTIONS) fpscr |= FX;
    e.trap = (raised && (m.fpscr & VE)) ? Trap::Enabled : Trap::None;
    m.fpscr = summarised(fpscr);
    e.target = 32;
}

// The FPSCR moves (Book I 4.6.9). mtfsf/mtfsfi set FX and OX only as their
// data says; the others set FX implicitly; FEX and VX are always summaries.
void move_to_fpscr(Expected& e, Fields in, uint32_t value, bool implicit_fx) {
    Machine& m = e.after;
    const uint32_t before = m.fpscr;
    value &= ~(FEX | VX);
    if (implicit_fx && (value & ~before & EXCEPTIONS & ~FX)) value |= FX;
    m.fpscr = summarised(value);
    e.fpscr_undefined |= RESERVED;
    if (in.rc()) set_cr1(m);
    e.trap = (m.fpscr & FEX) ? Trap::Enabled : Trap::None;
    e.target = 32;
}

uint32_t field_mask(unsigned field) {
    return 0xF0000000u >> (4 * field);
}

bool execute_fpscr(Expected& e, Fields in) {
    Machine& m = e.after;
    switch (in.xo10()) {
    case 38: // mtfsb1
        if (in.t() != 1 && in.t() != 2) {
            move_to_fpscr(e, in, m.fpscr | bit(in.t()), true);
        } else {
            move_to_fpscr(e, in, m.fpscr, true);
        }
        if (in.t() == 29) e.fpscr_undefined |= NI; // non-IEEE mode is implementation-defined
        return true;
    case 70: // mtfsb0
        move_to_fpscr(e, in, (in.t() == 1 || in.t() == 2) ? m.fpscr : m.fpscr & ~bit(in.t()), true);
        e.trap = Trap::None; // clearing a bit enables nothing new
        return true;
    case 64: { // mcrfs
        const unsigned from = in.a() >> 2;
        const unsigned to_shift = 28 - 4 * (in.t() >> 2);
        const uint32_t field = (m.fpscr & field_mask(from)) >> (28 - 4 * from);
        m.cr = (m.cr & ~(0xFu << to_shift)) | (field << to_shift);
        m.fpscr = summarised(m.fpscr & ~(field_mask(from) & EXCEPTIONS));
        e.target = 32;
        return true;
    }
    case 134: { // mtfsfi
        if (in.raw & (1u << 16)) return false;
        const unsigned field = in.t() >> 2;
        const uint32_t u = (in.raw >> 12) & 0xF;
        move_to_fpscr(e, in, (m.fpscr & ~field_mask(field)) | (u << (28 - 4 * field)), false);
        return true;
    }
    case 711: { // mtfsf
        if (in.raw & ((1u << 25) | (1u << 16))) return false;
        const unsigned flm = (in.raw >> 17) & 0xFF;
        uint32_t mask = 0;
        for (unsigned field = 0; field < 8; ++field)
            if (flm & (0x80u >> field)) mask |= field_mask(field);
        const auto data = static_cast<uint32_t>(m.fpr[in.b()]);
        move_to_fpscr(e, in, (m.fpscr & ~mask) | (data & mask), false);
        return true;
    }
    case 583: // mffs
        m.fpr[in.t()] = m.fpscr;
        e.target_undefined = 0xFFFFFFFF00000000ull;
        e.target = in.t();
        if (in.rc()) set_cr1(m);
        return true;
    default:
        return false;
    }
}

// fmr, fneg, fabs, fnabs, fsel: the FPSCR is untouched.
void move(Expected& e, Fields in, uint64_t value) {
    e.after.fpr[in.t()] = value;
    e.target = in.t();
    if (in.rc()) set_cr1(e.after);
}

bool execute_a_form(Expected& e, Fields in, bool single) {
    Machine& m = e.after;
    const Format& f = single ? SINGLE : DOUBLE;
    const uint64_t a = m.fpr[in.a()], b = m.fpr[in.b()], c = m.fpr[in.c()];
    const uint32_t fpscr = m.fpscr;
    Result r;
    switch (in.xo5()) {
    case 18:
        r = divide(a, b, f, fpscr);
        break;
    case 20: // the negation of frB must not reach a NaN, which propagates as it is
        r = add(a, nan(b) ? b : b ^ SIGN, f, fpscr);
        break;
    case 21:
        r = add(a, b, f, fpscr);
        break;
    case 25:
        r = multiply(a, c, f, fpscr);
        break;
    case 28:
    case 29:
    case 30:
    case 31: {
        const bool subtract = in.xo5() == 28 || in.xo5() == 30;
        // fsub-style negation of frB must not touch a NaN's sign: the NaN
        // frB propagates unchanged.
        const uint64_t addend = (subtract && !nan(b)) ? b ^ SIGN : b;
        r = multiply_add(a, c, addend, f, fpscr);
        r.negate_after = in.xo5() >= 30 && !(r.raised & INVALID_CAUSES);
        break;
    }
    case 24:
        if (!single) return false; // fre: not on the e500mc
        r = reciprocal_estimate(b, fpscr);
        commit(e, in, r, f, Class::Estimate);
        return true;
    case 26:
        if (single) return false; // frsqrtes: not on the e500mc
        r = rsqrt_estimate(b, fpscr);
        commit(e, in, r, f, Class::Estimate);
        return true;
    case 23: { // fsel
        if (single) return false;
        const bool ge_zero = !nan(a) && (!negative(a) || zero(a));
        move(e, in, ge_zero ? c : b);
        return true;
    }
    default:
        return false;
    }
    commit(e, in, r, f, Class::Arithmetic);
    return true;
}

bool execute_x_form(Expected& e, Fields in) {
    Machine& m = e.after;
    const uint64_t b = m.fpr[in.b()];
    switch (in.xo10()) {
    case 0:
        compare(e, in, false);
        return true;
    case 32:
        compare(e, in, true);
        return true;
    case 12:
        commit(e, in, round_single(b, m.fpscr), SINGLE, Class::Arithmetic);
        return true;
    case 14:
    case 15:
        commit(e, in, to_int32(b, m.fpscr, in.xo10() == 15), DOUBLE, Class::Conversion);
        return true;
    case 40:
        move(e, in, b ^ SIGN);
        return true;
    case 72:
        move(e, in, b);
        return true;
    case 136:
        move(e, in, b | SIGN);
        return true;
    case 264:
        move(e, in, b & ~SIGN);
        return true;
    default:
        return execute_fpscr(e, in);
    }
}

} // namespace

uint32_t consistent_fpscr(uint32_t fpscr) {
    return summarised(fpscr);
}

Expected reference(uint32_t insn, const Machine& before) {
    Expected e;
    e.after = before;
    e.target = 32;
    const Fields in{insn};
    bool known = false;
    if (in.primary() == 59) {
        known = execute_a_form(e, in, true);
    } else if (in.primary() == 63) {
        known = in.xo5() >= 16 ? execute_a_form(e, in, false) : execute_x_form(e, in);
    }
    if (!known) {
        e = Expected{};
        e.after = before;
        e.target = 32;
        e.trap = Trap::Illegal;
    }
    return e;
}

} // namespace vmc::fp_oracle
