// FPSCR bit layout (Power ISA 2.06 Book I 4.2.2). The ISA numbers bits from
// the most significant end (bit 0 = FX); the masks below are in the usual
// least-significant-bit numbering of the 32-bit register.
#pragma once

#include <cstdint>

namespace vmc::emu::fpu::fpscr {

constexpr uint32_t bit(unsigned isa_bit) {
    return 1u << (31 - isa_bit);
}

constexpr uint32_t FX = bit(0);
constexpr uint32_t FEX = bit(1);
constexpr uint32_t VX = bit(2);
constexpr uint32_t OX = bit(3);
constexpr uint32_t UX = bit(4);
constexpr uint32_t ZX = bit(5);
constexpr uint32_t XX = bit(6);
constexpr uint32_t VXSNAN = bit(7);
constexpr uint32_t VXISI = bit(8);
constexpr uint32_t VXIDI = bit(9);
constexpr uint32_t VXZDZ = bit(10);
constexpr uint32_t VXIMZ = bit(11);
constexpr uint32_t VXVC = bit(12);
constexpr uint32_t FR = bit(13);
constexpr uint32_t FI = bit(14);
constexpr unsigned FPRF_SHIFT = 31 - 19; // FPRF is bits 15:19 (C, then FPCC = FL FG FE FU)
constexpr uint32_t FPRF = 0x1Fu << FPRF_SHIFT;
constexpr uint32_t FPCC = 0x0Fu << FPRF_SHIFT;
constexpr uint32_t VXSOFT = bit(21);
constexpr uint32_t VXSQRT = bit(22);
constexpr uint32_t VXCVI = bit(23);
constexpr uint32_t VE = bit(24);
constexpr uint32_t OE = bit(25);
constexpr uint32_t UE = bit(26);
constexpr uint32_t ZE = bit(27);
constexpr uint32_t XE = bit(28);
constexpr uint32_t NI = bit(29);
constexpr uint32_t RN = 0x3;

// The invalid-operation causes; VX is their OR.
constexpr uint32_t VX_CAUSES =
    VXSNAN | VXISI | VXIDI | VXZDZ | VXIMZ | VXVC | VXSOFT | VXSQRT | VXCVI;
// Every sticky exception bit an instruction can move from 0 to 1 (which sets FX).
constexpr uint32_t EXCEPTION_BITS = OX | UX | ZX | XX | VX_CAUSES;

// FPRF codes (C FL FG FE FU) for result classes.
constexpr uint32_t FPRF_QNAN = 0x11;
constexpr uint32_t FPRF_NEG_INF = 0x09;
constexpr uint32_t FPRF_NEG_NORMAL = 0x08;
constexpr uint32_t FPRF_NEG_DENORMAL = 0x18;
constexpr uint32_t FPRF_NEG_ZERO = 0x12;
constexpr uint32_t FPRF_POS_ZERO = 0x02;
constexpr uint32_t FPRF_POS_DENORMAL = 0x14;
constexpr uint32_t FPRF_POS_NORMAL = 0x04;
constexpr uint32_t FPRF_POS_INF = 0x05;

// Recomputes the summary bits VX and FEX from the sticky bits and enables.
constexpr uint32_t with_summaries(uint32_t value) {
    value &= ~(VX | FEX);
    if (value & VX_CAUSES) {
        value |= VX;
    }
    const bool fex = ((value & VX) && (value & VE)) || ((value & OX) && (value & OE)) ||
                     ((value & UX) && (value & UE)) || ((value & ZX) && (value & ZE)) ||
                     ((value & XX) && (value & XE));
    if (fex) {
        value |= FEX;
    }
    return value;
}

} // namespace vmc::emu::fpu::fpscr
