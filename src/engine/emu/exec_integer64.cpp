// The 64-bit integer instructions of a 64-bit Book III-E core (Power ISA 2.06
// Book I 3.3.9-3.3.14: doubleword multiply/divide, rotates and shifts,
// count, population count, compare bytes, extsw). Illegal on a 32-bit core.
#include <bit>

#include "engine/emu/exec_util.hpp"
#include "engine/emu/uint128.hpp"

namespace vmc::emu {

namespace {

// MD/MDS-form fields: the 6-bit shift is sh[0:4] (bits 16:20) with sh[5]
// in bit 30; the 6-bit mask bound has its high bit in bit 26.
unsigned sh6(Insn i) {
    return i.bits(16, 20) | (i.bits(30, 30) << 5);
}
unsigned mb6(Insn i) {
    return i.bits(21, 25) | (i.bits(26, 26) << 5);
}

uint64_t mask64(unsigned mb, unsigned me) {
    uint64_t from_mb = ~uint64_t{0} >> mb;
    uint64_t to_me = ~uint64_t{0} << (63 - me);
    return mb <= me ? from_mb & to_me : from_mb | to_me;
}

uint64_t rotl64(uint64_t v, unsigned n) {
    return std::rotl(v, static_cast<int>(n & 63));
}

void result(Core& c, Insn i, uint64_t r) {
    c.set_gpr(i.ra(), r);
    if (i.rc()) record(c, r);
}

void arith_result(Core& c, Insn i, uint64_t r) {
    c.set_gpr(i.rt(), r);
    if (i.rc()) record(c, r);
}

} // namespace

// ---- rotates: opcode 30, MD form (rldicl/rldicr/rldic/rldimi) and MDS form (rldcl/rldcr)
VMC_HANDLER(rld) {
    VMC_64BIT_ONLY();
    const uint64_t rs = c.gpr[i.rs()];
    const unsigned bound = mb6(i);
    switch (i.bits(27, 29)) {
    case 0: // rldicl
        return result(c, i, rotl64(rs, sh6(i)) & mask64(bound, 63));
    case 1: // rldicr
        return result(c, i, rotl64(rs, sh6(i)) & mask64(0, bound));
    case 2: // rldic
        return result(c, i, rotl64(rs, sh6(i)) & mask64(bound, 63 - sh6(i)));
    case 3: { // rldimi
        const uint64_t m = mask64(bound, 63 - sh6(i));
        return result(c, i, (rotl64(rs, sh6(i)) & m) | (c.gpr[i.ra()] & ~m));
    }
    case 4: { // MDS: rldcl (bit 30 = 0), rldcr (bit 30 = 1)
        const unsigned n = c.gpr[i.rb()] & 63;
        if (i.bits(30, 30)) return result(c, i, rotl64(rs, n) & mask64(0, bound));
        return result(c, i, rotl64(rs, n) & mask64(bound, 63));
    }
    default:
        return c.illegal(i);
    }
}

// ---- shifts. Counts come from RB[57:63]: 64..127 shift everything out.
VMC_HANDLER(sld) {
    VMC_64BIT_ONLY();
    unsigned n = c.gpr[i.rb()] & 0x7f;
    result(c, i, n & 0x40 ? 0 : c.gpr[i.rs()] << n);
}
VMC_HANDLER(srd) {
    VMC_64BIT_ONLY();
    unsigned n = c.gpr[i.rb()] & 0x7f;
    result(c, i, n & 0x40 ? 0 : c.gpr[i.rs()] >> n);
}
namespace {
void shift_right_algebraic64(Core& c, Insn i, unsigned n) {
    const auto v = static_cast<int64_t>(c.gpr[i.rs()]);
    int64_t r;
    bool carry;
    if (n & 0x40) {
        r = v < 0 ? -1 : 0;
        carry = v < 0;
    } else {
        r = v >> n;
        carry = v < 0 && n != 0 && (static_cast<uint64_t>(v) & ((uint64_t{1} << n) - 1)) != 0;
    }
    set_ca(c, carry);
    result(c, i, static_cast<uint64_t>(r));
}
} // namespace
VMC_HANDLER(srad) {
    VMC_64BIT_ONLY();
    shift_right_algebraic64(c, i, c.gpr[i.rb()] & 0x7f);
}
VMC_HANDLER(sradi) {
    VMC_64BIT_ONLY();
    shift_right_algebraic64(c, i, sh6(i));
}

// ---- multiply / divide doubleword
VMC_HANDLER(mulld) {
    VMC_64BIT_ONLY();
    const uint64_t a = c.gpr[i.ra()], b = c.gpr[i.rb()];
    const uint64_t r = a * b;
    if (i.oe()) {
        // Overflow: the signed 128-bit product does not fit 64 bits.
        const U128 p = U128::product(a, b);
        uint64_t high = p.high();
        if (static_cast<int64_t>(a) < 0) high -= b;
        if (static_cast<int64_t>(b) < 0) high -= a;
        set_ov(c, high != (static_cast<int64_t>(r) < 0 ? ~uint64_t{0} : 0));
    }
    arith_result(c, i, r);
}
VMC_HANDLER(mulhd) {
    VMC_64BIT_ONLY();
    const uint64_t a = c.gpr[i.ra()], b = c.gpr[i.rb()];
    uint64_t high = U128::product(a, b).high();
    if (static_cast<int64_t>(a) < 0) high -= b;
    if (static_cast<int64_t>(b) < 0) high -= a;
    arith_result(c, i, high);
}
VMC_HANDLER(mulhdu) {
    VMC_64BIT_ONLY();
    arith_result(c, i, U128::product(c.gpr[i.ra()], c.gpr[i.rb()]).high());
}
// As for the word divides: x/0 and INT64_MIN/-1 give RT = RA and set OV.
VMC_HANDLER(divd) {
    VMC_64BIT_ONLY();
    const auto a = static_cast<int64_t>(c.gpr[i.ra()]), b = static_cast<int64_t>(c.gpr[i.rb()]);
    const bool overflow = b == 0 || (a == INT64_MIN && b == -1);
    if (i.oe()) set_ov(c, overflow);
    arith_result(c, i, static_cast<uint64_t>(overflow ? a : a / b));
}
VMC_HANDLER(divdu) {
    VMC_64BIT_ONLY();
    const uint64_t a = c.gpr[i.ra()], b = c.gpr[i.rb()];
    if (i.oe()) set_ov(c, b == 0);
    arith_result(c, i, b == 0 ? a : a / b);
}

// ---- count, extend, population count, compare bytes
VMC_HANDLER(cntlzd) {
    VMC_64BIT_ONLY();
    result(c, i, static_cast<uint64_t>(std::countl_zero(c.gpr[i.rs()])));
}
VMC_HANDLER(extsw) {
    VMC_64BIT_ONLY();
    result(c, i, static_cast<uint64_t>(int64_t{static_cast<int32_t>(c.gpr[i.rs()])}));
}
namespace {
// Population count of each `width`-byte field of v, in that field.
uint64_t popcount_fields(uint64_t v, unsigned width) {
    const unsigned bits = 8 * width;
    const uint64_t field = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
    uint64_t r = 0;
    for (unsigned shift = 0; shift < 64; shift += bits)
        r |= static_cast<uint64_t>(std::popcount((v >> shift) & field)) << shift;
    return r;
}
} // namespace
VMC_HANDLER(popcntb) {
    VMC_64BIT_ONLY();
    c.set_gpr(i.ra(), popcount_fields(c.gpr[i.rs()], 1));
}
VMC_HANDLER(popcntw) {
    VMC_64BIT_ONLY();
    c.set_gpr(i.ra(), popcount_fields(c.gpr[i.rs()], 4));
}
VMC_HANDLER(popcntd) {
    VMC_64BIT_ONLY();
    c.set_gpr(i.ra(), popcount_fields(c.gpr[i.rs()], 8));
}
VMC_HANDLER(cmpb) {
    VMC_64BIT_ONLY();
    const uint64_t a = c.gpr[i.rs()], b = c.gpr[i.rb()];
    uint64_t r = 0;
    for (unsigned shift = 0; shift < 64; shift += 8)
        if (((a >> shift) & 0xff) == ((b >> shift) & 0xff)) r |= uint64_t{0xff} << shift;
    c.set_gpr(i.ra(), r);
}

} // namespace vmc::emu
