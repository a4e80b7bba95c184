// Integer arithmetic, compare, trap, logical, rotate and shift instructions
// (Power ISA 2.06 Book I 3.3.9-3.3.14) with their CR0 and XER effects.
#include <bit>

#include "engine/emu/exec_util.hpp"

namespace vmc::emu {

namespace {

// a + b + carry_in with the CA/OV rules every add/subtract form shares.
// Subtract forms pass ~RA as `a` and carry_in = 1 (or XER[CA]).
void arith(Core& c, Insn i, uint32_t a, uint32_t b, uint32_t carry_in, bool sets_ca) {
    uint64_t wide = static_cast<uint64_t>(a) + b + carry_in;
    uint32_t r = static_cast<uint32_t>(wide);
    if (sets_ca) set_ca(c, wide >> 32);
    if (i.oe()) set_ov(c, ((a ^ r) & (b ^ r)) >> 31);
    c.gpr[i.rt()] = r;
    if (i.rc()) record(c, r);
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

void logical_result(Core& c, Insn i, uint32_t r) {
    c.gpr[i.ra()] = r;
    if (i.rc()) record(c, r);
}

bool trap_condition(unsigned to, uint32_t a, uint32_t b) {
    int32_t sa = static_cast<int32_t>(a), sb = static_cast<int32_t>(b);
    return ((to & 0x10) && sa < sb) || ((to & 0x08) && sa > sb) || ((to & 0x04) && a == b) ||
           ((to & 0x02) && a < b) || ((to & 0x01) && a > b);
}

} // namespace

// ---- add / subtract
VMC_HANDLER(addi) {
    c.gpr[i.rt()] = reg_or_zero(c, i.ra()) + i.simm();
}
VMC_HANDLER(addis) {
    c.gpr[i.rt()] = reg_or_zero(c, i.ra()) + (static_cast<uint32_t>(i.simm()) << 16);
}
VMC_HANDLER(addic) {
    uint32_t a = c.gpr[i.ra()], b = static_cast<uint32_t>(i.simm());
    c.gpr[i.rt()] = a + b;
    set_ca(c, c.gpr[i.rt()] < a);
}
VMC_HANDLER(addic_rc) {
    addic(c, i);
    record(c, c.gpr[i.rt()]);
}
VMC_HANDLER(subfic) {
    uint32_t a = ~c.gpr[i.ra()], b = static_cast<uint32_t>(i.simm());
    uint64_t wide = static_cast<uint64_t>(a) + b + 1;
    c.gpr[i.rt()] = static_cast<uint32_t>(wide);
    set_ca(c, wide >> 32);
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
    arith(c, i, c.gpr[i.ra()], 0xffffffffu, ca(c), true);
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
    arith(c, i, ~c.gpr[i.ra()], 0xffffffffu, ca(c), true);
}
VMC_HANDLER(subfze) {
    arith(c, i, ~c.gpr[i.ra()], 0, ca(c), true);
}
VMC_HANDLER(neg) {
    arith(c, i, ~c.gpr[i.ra()], 0, 1, false);
}

// ---- multiply / divide
VMC_HANDLER(mulli) {
    c.gpr[i.rt()] =
        static_cast<uint32_t>(static_cast<int32_t>(c.gpr[i.ra()]) * static_cast<int64_t>(i.simm()));
}
VMC_HANDLER(mullw) {
    int64_t p = static_cast<int64_t>(static_cast<int32_t>(c.gpr[i.ra()])) *
                static_cast<int32_t>(c.gpr[i.rb()]);
    uint32_t r = static_cast<uint32_t>(p);
    if (i.oe()) set_ov(c, p != static_cast<int32_t>(r));
    c.gpr[i.rt()] = r;
    if (i.rc()) record(c, r);
}
VMC_HANDLER(mulhw) {
    int64_t p = static_cast<int64_t>(static_cast<int32_t>(c.gpr[i.ra()])) *
                static_cast<int32_t>(c.gpr[i.rb()]);
    c.gpr[i.rt()] = static_cast<uint32_t>(static_cast<uint64_t>(p) >> 32);
    if (i.rc()) record(c, c.gpr[i.rt()]);
}
VMC_HANDLER(mulhwu) {
    uint64_t p = static_cast<uint64_t>(c.gpr[i.ra()]) * c.gpr[i.rb()];
    c.gpr[i.rt()] = static_cast<uint32_t>(p >> 32);
    if (i.rc()) record(c, c.gpr[i.rt()]);
}
// The ISA leaves the quotient undefined for x/0 and 0x80000000/-1. Like QEMU's
// e500mc we divide by 1 instead, so RT = RA, and set OV for the o-forms.
VMC_HANDLER(divw) {
    int32_t a = static_cast<int32_t>(c.gpr[i.ra()]), b = static_cast<int32_t>(c.gpr[i.rb()]);
    bool overflow = b == 0 || (a == INT32_MIN && b == -1);
    uint32_t r = overflow ? static_cast<uint32_t>(a) : static_cast<uint32_t>(a / b);
    if (i.oe()) set_ov(c, overflow);
    c.gpr[i.rt()] = r;
    if (i.rc()) record(c, r);
}
VMC_HANDLER(divwu) {
    uint32_t a = c.gpr[i.ra()], b = c.gpr[i.rb()];
    bool overflow = b == 0;
    uint32_t r = overflow ? a : a / b;
    if (i.oe()) set_ov(c, overflow);
    c.gpr[i.rt()] = r;
    if (i.rc()) record(c, r);
}

// ---- compare / trap. L=1 (64-bit compare) is an invalid form on a 32-bit core.
VMC_HANDLER(cmpi) {
    if (i.l()) return c.illegal(i);
    set_cr_field(c, i.bf(),
                 compare_signed(static_cast<int32_t>(c.gpr[i.ra()]), i.simm()) | (c.xer >> 31));
}
VMC_HANDLER(cmpli) {
    if (i.l()) return c.illegal(i);
    set_cr_field(c, i.bf(), compare_unsigned(c.gpr[i.ra()], i.uimm()) | (c.xer >> 31));
}
VMC_HANDLER(cmp) {
    if (i.l()) return c.illegal(i);
    set_cr_field(
        c, i.bf(),
        compare_signed(static_cast<int32_t>(c.gpr[i.ra()]), static_cast<int32_t>(c.gpr[i.rb()])) |
            (c.xer >> 31));
}
VMC_HANDLER(cmpl) {
    if (i.l()) return c.illegal(i);
    set_cr_field(c, i.bf(), compare_unsigned(c.gpr[i.ra()], c.gpr[i.rb()]) | (c.xer >> 31));
}
VMC_HANDLER(tw) {
    if (trap_condition(i.to(), c.gpr[i.ra()], c.gpr[i.rb()])) c.program(esr::PTR);
}
VMC_HANDLER(twi) {
    if (trap_condition(i.to(), c.gpr[i.ra()], static_cast<uint32_t>(i.simm()))) c.program(esr::PTR);
}

// ---- logical
VMC_HANDLER(andi_rc) {
    logical_result(c, Insn{i.raw | 1}, c.gpr[i.rs()] & i.uimm());
}
VMC_HANDLER(andis_rc) {
    logical_result(c, Insn{i.raw | 1}, c.gpr[i.rs()] & (i.uimm() << 16));
}
VMC_HANDLER(ori) {
    c.gpr[i.ra()] = c.gpr[i.rs()] | i.uimm();
}
VMC_HANDLER(oris) {
    c.gpr[i.ra()] = c.gpr[i.rs()] | (i.uimm() << 16);
}
VMC_HANDLER(xori) {
    c.gpr[i.ra()] = c.gpr[i.rs()] ^ i.uimm();
}
VMC_HANDLER(xoris) {
    c.gpr[i.ra()] = c.gpr[i.rs()] ^ (i.uimm() << 16);
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
    logical_result(c, i, static_cast<uint32_t>(static_cast<int8_t>(c.gpr[i.rs()])));
}
VMC_HANDLER(extsh) {
    logical_result(c, i, static_cast<uint32_t>(static_cast<int16_t>(c.gpr[i.rs()])));
}
VMC_HANDLER(cntlzw) {
    logical_result(c, i, static_cast<uint32_t>(std::countl_zero(c.gpr[i.rs()])));
}

// ---- rotate / shift
VMC_HANDLER(rlwinm) {
    logical_result(c, i, rotl(c.gpr[i.rs()], i.sh()) & mask(i.mb(), i.me()));
}
VMC_HANDLER(rlwnm) {
    logical_result(c, i, rotl(c.gpr[i.rs()], c.gpr[i.rb()]) & mask(i.mb(), i.me()));
}
VMC_HANDLER(rlwimi) {
    uint32_t m = mask(i.mb(), i.me());
    logical_result(c, i, (rotl(c.gpr[i.rs()], i.sh()) & m) | (c.gpr[i.ra()] & ~m));
}
// Shift counts come from RB[26:31]: 32..63 shift everything out.
VMC_HANDLER(slw) {
    unsigned n = c.gpr[i.rb()] & 0x3f;
    logical_result(c, i, n & 0x20 ? 0 : c.gpr[i.rs()] << n);
}
VMC_HANDLER(srw) {
    unsigned n = c.gpr[i.rb()] & 0x3f;
    logical_result(c, i, n & 0x20 ? 0 : c.gpr[i.rs()] >> n);
}
namespace {
void shift_right_algebraic(Core& c, Insn i, unsigned n) {
    int32_t v = static_cast<int32_t>(c.gpr[i.rs()]);
    uint32_t r;
    bool carry;
    if (n & 0x20) {
        r = v < 0 ? 0xffffffffu : 0;
        carry = v < 0;
    } else {
        r = static_cast<uint32_t>(v >> n);
        carry = v < 0 && n != 0 && (static_cast<uint32_t>(v) & ((1u << n) - 1)) != 0;
    }
    set_ca(c, carry);
    logical_result(c, i, r);
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
