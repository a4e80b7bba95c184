// Integer arithmetic, compare, trap, logical, rotate and shift instructions
// (Power ISA 2.06 Book I 3.3.9-3.3.14) with their CR0 and XER effects.
#include <bit>

#include "engine/emu/exec_util.hpp"

namespace vmc::emu {

namespace {

// a + b + carry_in with the CA/OV rules every add/subtract form shares.
// Subtract forms pass ~RA as `a` and carry_in = 1 (or XER[CA]). In 64-bit
// mode CA and OV come from bit 0 of the result, otherwise from bit 32.
void arith(Core& c, Insn i, uint64_t a, uint64_t b, uint64_t carry_in, bool sets_ca) {
    const uint64_t r = a + b + carry_in;
    if (sets_ca || i.oe()) {
        bool carry, overflow;
        if (c.cm()) {
            const uint64_t t = a + b;
            carry = t < a || r < t;
            overflow = ((a ^ r) & (b ^ r)) >> 63;
        } else {
            carry = ((a & 0xffffffffu) + (b & 0xffffffffu) + carry_in) >> 32;
            overflow = (((a ^ r) & (b ^ r)) >> 31) & 1;
        }
        if (sets_ca) set_ca(c, carry);
        if (i.oe()) set_ov(c, overflow);
    }
    c.set_gpr(i.rt(), r);
    if (i.rc()) record(c, r);
}

// A carry out of `a + b` where b is a sign-extended immediate (addic, subfic).
bool carry_of(const Core& c, uint64_t a, uint64_t b, uint64_t carry_in) {
    if (c.cm()) {
        const uint64_t t = a + b, r = t + carry_in;
        return t < a || r < t;
    }
    return ((a & 0xffffffffu) + (b & 0xffffffffu) + carry_in) >> 32;
}

uint32_t rotl(uint32_t v, unsigned n) {
    return std::rotl(v, static_cast<int>(n & 31));
}

// MASK(mb, me) of the rotate instructions, wrapping when mb > me.
uint32_t mask(unsigned mb, unsigned me) {
    uint32_t from_mb = 0xffffffffu >> mb;
    uint32_t to_me = 0xffffffffu << (31 - me);
    return mb <= me ? from_mb & to_me : from_mb | to_me;
}

// The word rotates on a 64-bit register: the rotated low word is copied into
// both halves and the mask is MASK(mb+32, me+32), which reaches the high
// half only when it wraps (mb > me). A 32-bit core keeps the low word.
uint64_t rotate_word(uint32_t v, unsigned n, unsigned mb, unsigned me) {
    const uint64_t r = rotl(v, n);
    const uint64_t both = (r << 32) | r;
    const uint64_t m = mb <= me ? mask(mb, me) : (~uint64_t{0} << 32) | mask(mb, me);
    return both & m;
}

void logical_result(Core& c, Insn i, uint64_t r) {
    c.set_gpr(i.ra(), r);
    if (i.rc()) record(c, r);
}

bool trap_condition(unsigned to, int64_t sa, int64_t sb) {
    const auto a = static_cast<uint64_t>(sa), b = static_cast<uint64_t>(sb);
    return ((to & 0x10) && sa < sb) || ((to & 0x08) && sa > sb) || ((to & 0x04) && a == b) ||
           ((to & 0x02) && a < b) || ((to & 0x01) && a > b);
}

// The low words, sign-extended: what tw, twi and the L=0 compares see.
int64_t word(uint64_t v) {
    return static_cast<int32_t>(v);
}

} // namespace

// ---- add / subtract
VMC_HANDLER(addi) {
    c.set_gpr(i.rt(), reg_or_zero(c, i.ra()) + static_cast<uint64_t>(int64_t{i.simm()}));
}
VMC_HANDLER(addis) {
    c.set_gpr(i.rt(), reg_or_zero(c, i.ra()) + static_cast<uint64_t>(int64_t{i.simm()} << 16));
}
VMC_HANDLER(addic) {
    uint64_t a = c.gpr[i.ra()], b = static_cast<uint64_t>(int64_t{i.simm()});
    set_ca(c, carry_of(c, a, b, 0));
    c.set_gpr(i.rt(), a + b);
}
VMC_HANDLER(addic_rc) {
    addic(c, i);
    record(c, c.gpr[i.rt()]);
}
VMC_HANDLER(subfic) {
    uint64_t a = ~c.gpr[i.ra()], b = static_cast<uint64_t>(int64_t{i.simm()});
    set_ca(c, carry_of(c, a, b, 1));
    c.set_gpr(i.rt(), a + b + 1);
}
VMC_HANDLER(add) {
    arith(c, i, c.gpr[i.ra()], c.gpr[i.rb()], 0, false);
}
VMC_HANDLER(addc) {
    arith(c, i, c.gpr[i.ra()], c.gpr[i.rb()], 0, true);
}
VMC_HANDLER(adde) {
    arith(c, i, c.gpr[i.ra()], c.gpr[i.rb()], ca(c), true);
}
VMC_HANDLER(addme) {
    arith(c, i, c.gpr[i.ra()], ~uint64_t{0}, ca(c), true);
}
VMC_HANDLER(addze) {
    arith(c, i, c.gpr[i.ra()], 0, ca(c), true);
}
VMC_HANDLER(subf) {
    arith(c, i, ~c.gpr[i.ra()], c.gpr[i.rb()], 1, false);
}
VMC_HANDLER(subfc) {
    arith(c, i, ~c.gpr[i.ra()], c.gpr[i.rb()], 1, true);
}
VMC_HANDLER(subfe) {
    arith(c, i, ~c.gpr[i.ra()], c.gpr[i.rb()], ca(c), true);
}
VMC_HANDLER(subfme) {
    arith(c, i, ~c.gpr[i.ra()], ~uint64_t{0}, ca(c), true);
}
VMC_HANDLER(subfze) {
    arith(c, i, ~c.gpr[i.ra()], 0, ca(c), true);
}
VMC_HANDLER(neg) {
    arith(c, i, ~c.gpr[i.ra()], 0, 1, false);
}

// ---- multiply / divide (word forms; the doubleword ones are in exec_integer64.cpp)
VMC_HANDLER(mulli) {
    c.set_gpr(i.rt(), c.gpr[i.ra()] * static_cast<uint64_t>(int64_t{i.simm()}));
}
// A 64-bit core keeps the whole 64-bit product of the low words.
VMC_HANDLER(mullw) {
    int64_t p = word(c.gpr[i.ra()]) * word(c.gpr[i.rb()]);
    if (i.oe()) set_ov(c, p != static_cast<int32_t>(p));
    c.set_gpr(i.rt(), static_cast<uint64_t>(p));
    if (i.rc()) record(c, static_cast<uint64_t>(p));
}
// The high word of the product, and the word quotients, leave the upper half
// of a 64-bit register zero, as QEMU's e5500 does (the ISA leaves it undefined).
VMC_HANDLER(mulhw) {
    int64_t p = word(c.gpr[i.ra()]) * word(c.gpr[i.rb()]);
    c.set_gpr(i.rt(), static_cast<uint32_t>(static_cast<uint64_t>(p) >> 32));
    if (i.rc()) record(c, c.gpr[i.rt()]);
}
VMC_HANDLER(mulhwu) {
    uint64_t p = static_cast<uint64_t>(low(c.gpr[i.ra()])) * low(c.gpr[i.rb()]);
    c.set_gpr(i.rt(), static_cast<uint32_t>(p >> 32));
    if (i.rc()) record(c, c.gpr[i.rt()]);
}
// The ISA leaves the quotient undefined for x/0 and 0x80000000/-1. Like QEMU's
// e500mc we divide by 1 instead, so RT = RA, and set OV for the o-forms.
VMC_HANDLER(divw) {
    int32_t a = static_cast<int32_t>(c.gpr[i.ra()]), b = static_cast<int32_t>(c.gpr[i.rb()]);
    bool overflow = b == 0 || (a == INT32_MIN && b == -1);
    uint32_t r = overflow ? static_cast<uint32_t>(a) : static_cast<uint32_t>(a / b);
    if (i.oe()) set_ov(c, overflow);
    c.set_gpr(i.rt(), r);
    if (i.rc()) record(c, r);
}
VMC_HANDLER(divwu) {
    uint32_t a = low(c.gpr[i.ra()]), b = low(c.gpr[i.rb()]);
    bool overflow = b == 0;
    uint32_t r = overflow ? a : a / b;
    if (i.oe()) set_ov(c, overflow);
    c.set_gpr(i.rt(), r);
    if (i.rc()) record(c, r);
}

// ---- compare / trap. L=1 (64-bit compare) is an invalid form on a 32-bit core.
VMC_HANDLER(cmpi) {
    if (i.l() && !c.is64) return c.illegal(i);
    int64_t a = i.l() ? static_cast<int64_t>(c.gpr[i.ra()]) : word(c.gpr[i.ra()]);
    set_cr_field(c, i.bf(), compare_signed(a, i.simm()) | (c.xer >> 31));
}
VMC_HANDLER(cmpli) {
    if (i.l() && !c.is64) return c.illegal(i);
    uint64_t a = i.l() ? c.gpr[i.ra()] : low(c.gpr[i.ra()]);
    set_cr_field(c, i.bf(), compare_unsigned(a, i.uimm()) | (c.xer >> 31));
}
VMC_HANDLER(cmp) {
    if (i.l() && !c.is64) return c.illegal(i);
    const uint64_t a = c.gpr[i.ra()], b = c.gpr[i.rb()];
    uint32_t r = i.l() ? compare_signed(static_cast<int64_t>(a), static_cast<int64_t>(b))
                       : compare_signed(word(a), word(b));
    set_cr_field(c, i.bf(), r | (c.xer >> 31));
}
VMC_HANDLER(cmpl) {
    if (i.l() && !c.is64) return c.illegal(i);
    const uint64_t a = c.gpr[i.ra()], b = c.gpr[i.rb()];
    uint32_t r = i.l() ? compare_unsigned(a, b) : compare_unsigned(low(a), low(b));
    set_cr_field(c, i.bf(), r | (c.xer >> 31));
}
VMC_HANDLER(tw) {
    if (trap_condition(i.to(), word(c.gpr[i.ra()]), word(c.gpr[i.rb()]))) c.program(esr::PTR);
}
VMC_HANDLER(twi) {
    if (trap_condition(i.to(), word(c.gpr[i.ra()]), i.simm())) c.program(esr::PTR);
}
VMC_HANDLER(td) {
    VMC_64BIT_ONLY();
    if (trap_condition(i.to(), static_cast<int64_t>(c.gpr[i.ra()]),
                       static_cast<int64_t>(c.gpr[i.rb()])))
        c.program(esr::PTR);
}
VMC_HANDLER(tdi) {
    VMC_64BIT_ONLY();
    if (trap_condition(i.to(), static_cast<int64_t>(c.gpr[i.ra()]), i.simm())) c.program(esr::PTR);
}

// ---- logical
VMC_HANDLER(andi_rc) {
    logical_result(c, Insn{i.raw | 1}, c.gpr[i.rs()] & i.uimm());
}
VMC_HANDLER(andis_rc) {
    logical_result(c, Insn{i.raw | 1}, c.gpr[i.rs()] & (uint64_t{i.uimm()} << 16));
}
VMC_HANDLER(ori) {
    c.gpr[i.ra()] = c.gpr[i.rs()] | i.uimm();
}
VMC_HANDLER(oris) {
    c.gpr[i.ra()] = c.gpr[i.rs()] | (uint64_t{i.uimm()} << 16);
}
VMC_HANDLER(xori) {
    c.gpr[i.ra()] = c.gpr[i.rs()] ^ i.uimm();
}
VMC_HANDLER(xoris) {
    c.gpr[i.ra()] = c.gpr[i.rs()] ^ (uint64_t{i.uimm()} << 16);
}
VMC_HANDLER(and_) {
    logical_result(c, i, c.gpr[i.rs()] & c.gpr[i.rb()]);
}
VMC_HANDLER(or_) {
    logical_result(c, i, c.gpr[i.rs()] | c.gpr[i.rb()]);
}
VMC_HANDLER(xor_) {
    logical_result(c, i, c.gpr[i.rs()] ^ c.gpr[i.rb()]);
}
VMC_HANDLER(nand) {
    logical_result(c, i, ~(c.gpr[i.rs()] & c.gpr[i.rb()]));
}
VMC_HANDLER(nor) {
    logical_result(c, i, ~(c.gpr[i.rs()] | c.gpr[i.rb()]));
}
VMC_HANDLER(eqv) {
    logical_result(c, i, ~(c.gpr[i.rs()] ^ c.gpr[i.rb()]));
}
VMC_HANDLER(andc) {
    logical_result(c, i, c.gpr[i.rs()] & ~c.gpr[i.rb()]);
}
VMC_HANDLER(orc) {
    logical_result(c, i, c.gpr[i.rs()] | ~c.gpr[i.rb()]);
}
VMC_HANDLER(extsb) {
    logical_result(c, i, static_cast<uint64_t>(int64_t{static_cast<int8_t>(c.gpr[i.rs()])}));
}
VMC_HANDLER(extsh) {
    logical_result(c, i, static_cast<uint64_t>(int64_t{static_cast<int16_t>(c.gpr[i.rs()])}));
}
VMC_HANDLER(cntlzw) {
    logical_result(c, i, static_cast<uint64_t>(std::countl_zero(low(c.gpr[i.rs()]))));
}

// ---- rotate / shift
VMC_HANDLER(rlwinm) {
    logical_result(c, i, rotate_word(low(c.gpr[i.rs()]), i.sh(), i.mb(), i.me()));
}
VMC_HANDLER(rlwnm) {
    logical_result(c, i, rotate_word(low(c.gpr[i.rs()]), low(c.gpr[i.rb()]) & 31, i.mb(), i.me()));
}
VMC_HANDLER(rlwimi) {
    const uint64_t m = rotate_word(~0u, 0, i.mb(), i.me());
    logical_result(
        c, i, (rotate_word(low(c.gpr[i.rs()]), i.sh(), i.mb(), i.me()) & m) | (c.gpr[i.ra()] & ~m));
}
// Shift counts come from RB[58:63]: 32..63 shift everything out. The result
// is the shifted low word, zero-extended.
VMC_HANDLER(slw) {
    unsigned n = c.gpr[i.rb()] & 0x3f;
    logical_result(c, i, n & 0x20 ? 0 : static_cast<uint32_t>(low(c.gpr[i.rs()]) << n));
}
VMC_HANDLER(srw) {
    unsigned n = c.gpr[i.rb()] & 0x3f;
    logical_result(c, i, n & 0x20 ? 0 : low(c.gpr[i.rs()]) >> n);
}
namespace {
// The result is the shifted word sign-extended to 64 bits.
void shift_right_algebraic(Core& c, Insn i, unsigned n) {
    int32_t v = static_cast<int32_t>(c.gpr[i.rs()]);
    int32_t r;
    bool carry;
    if (n & 0x20) {
        r = v < 0 ? -1 : 0;
        carry = v < 0;
    } else {
        r = v >> n;
        carry = v < 0 && n != 0 && (static_cast<uint32_t>(v) & ((1u << n) - 1)) != 0;
    }
    set_ca(c, carry);
    logical_result(c, i, static_cast<uint64_t>(int64_t{r}));
}
} // namespace
VMC_HANDLER(sraw) {
    shift_right_algebraic(c, i, c.gpr[i.rb()] & 0x3f);
}
VMC_HANDLER(srawi) {
    shift_right_algebraic(c, i, i.sh());
}

VMC_HANDLER(isel) {
    c.gpr[i.rt()] = cr_bit(c, i.crbc()) ? reg_or_zero(c, i.ra()) : c.gpr[i.rb()];
}

} // namespace vmc::emu
