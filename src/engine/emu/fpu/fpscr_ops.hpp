// Instructions that read or write the FPSCR itself (mffs is inline in
// execute), the compares, and the CR1 update of the Rc=1 forms.
#pragma once

#include "engine/emu/fpu/fpu.hpp"

namespace vmc::emu::fpu {

// CR1 <- FPSCR[FX FEX VX OX].
void set_cr1(const FpState& state, uint32_t& cr);

// fcmpu / fcmpo: CR field `bf` and FPSCR[FPCC] <- (LT GT EQ UN).
Outcome compare(FpState& state, uint32_t& cr, unsigned bf, uint64_t a, uint64_t b, bool ordered);

Outcome set_bit(FpState& state, uint32_t& cr, unsigned isa_bit, bool rc);    // mtfsb1
Outcome clear_bit(FpState& state, uint32_t& cr, unsigned isa_bit, bool rc);  // mtfsb0
Outcome move_to_cr(FpState& state, uint32_t& cr, unsigned bf, unsigned bfa); // mcrfs
Outcome set_field_immediate(FpState& state, uint32_t& cr, unsigned bf, unsigned u,
                            bool rc);                                                  // mtfsfi
Outcome set_fields(FpState& state, uint32_t& cr, unsigned flm, uint64_t frb, bool rc); // mtfsf

} // namespace vmc::emu::fpu
