// Helpers shared by the instruction handlers: CR fields, XER bits, operands.
#pragma once

#include "engine/emu/core.hpp"
#include "engine/emu/decode.hpp"

namespace vmc::emu {

inline uint32_t reg_or_zero(const Core& c, unsigned r) {
    return r ? c.gpr[r] : 0;
}

inline void set_cr_field(Core& c, unsigned field, uint32_t value4) {
    unsigned shift = 28 - 4 * field;
    c.cr = (c.cr & ~(0xfu << shift)) | (value4 << shift);
}
inline bool cr_bit(const Core& c, unsigned bit) {
    return (c.cr >> (31 - bit)) & 1;
}

inline uint32_t compare_signed(int32_t a, int32_t b) {
    return a < b ? 8 : a > b ? 4 : 2;
}
inline uint32_t compare_unsigned(uint32_t a, uint32_t b) {
    return a < b ? 8 : a > b ? 4 : 2;
}

// CR0 from a result: LT/GT/EQ of the signed value, SO copied from XER.
inline void record(Core& c, uint32_t result) {
    set_cr_field(c, 0, compare_signed(static_cast<int32_t>(result), 0) | (c.xer >> 31));
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

// Privileged instruction guard: raises the program interrupt from user mode.
#define VMC_PRIVILEGED()                                                                           \
    do {                                                                                           \
        if (c.user()) return c.privileged();                                                       \
    } while (0)

} // namespace vmc::emu
