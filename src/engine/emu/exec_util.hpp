// Helpers shared by the instruction handlers: CR fields, XER bits, operands.
#pragma once

#include "engine/emu/core.hpp"
#include "engine/emu/decode.hpp"

namespace vmc::emu {

inline uint64_t reg_or_zero(const Core& c, unsigned r) {
    return r ? c.gpr[r] : 0;
}
// The low word of a GPR, where an instruction reads only that.
inline uint32_t low(uint64_t v) {
    return static_cast<uint32_t>(v);
}

inline void set_cr_field(Core& c, unsigned field, uint32_t value4) {
    unsigned shift = 28 - 4 * field;
    c.cr = (c.cr & ~(0xfu << shift)) | (value4 << shift);
}
inline bool cr_bit(const Core& c, unsigned bit) {
    return (c.cr >> (31 - bit)) & 1;
}

inline uint32_t compare_signed(int64_t a, int64_t b) {
    return a < b ? 8 : a > b ? 4 : 2;
}
inline uint32_t compare_unsigned(uint64_t a, uint64_t b) {
    return a < b ? 8 : a > b ? 4 : 2;
}

// CR0 from a result: LT/GT/EQ of the signed value, SO copied from XER. In
// 64-bit mode (MSR[CM]) all 64 bits count, otherwise the low word.
inline void record(Core& c, uint64_t result) {
    int64_t v = c.cm() ? static_cast<int64_t>(result) : static_cast<int32_t>(result);
    set_cr_field(c, 0, compare_signed(v, 0) | (c.xer >> 31));
}
inline void set_ca(Core& c, bool ca) {
    c.xer = ca ? c.xer | xer::CA : c.xer & ~xer::CA;
}
inline bool ca(const Core& c) {
    return c.xer & xer::CA;
}
inline void set_ov(Core& c, bool ov) {
    c.xer = ov ? c.xer | xer::OV | xer::SO : c.xer & ~xer::OV;
}

// Effective addresses of the D and X forms (RA|0 + d, RA|0 + RB), wrapped
// at 4 GiB in 32-bit mode.
uint64_t ea_d(const Core& c, Insn i);
uint64_t ea_x(const Core& c, Insn i);

// 64-bit instructions (ld, rldicl, mulld...) are illegal on a 32-bit core.
#define VMC_64BIT_ONLY()                                                                           \
    do {                                                                                           \
        if (!c.is64) return c.illegal(i);                                                          \
    } while (0)

// Privileged instruction guard: raises the program interrupt from user mode.
#define VMC_PRIVILEGED()                                                                           \
    do {                                                                                           \
        if (c.user()) return c.privileged();                                                       \
    } while (0)

} // namespace vmc::emu
