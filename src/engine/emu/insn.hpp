// Instruction fields of a 32-bit PowerPC instruction word. Bit ranges are in
// the ISA's numbering (bit 0 is the most significant bit of the word).
#pragma once

#include <cstdint>

namespace vmc::emu {

struct Insn {
    uint32_t raw;

    constexpr uint32_t bits(unsigned first, unsigned last) const {
        return (raw >> (31 - last)) & ((1u << (last - first + 1)) - 1);
    }
    constexpr unsigned opcd() const { return bits(0, 5); } // primary opcode   0:5
    constexpr unsigned xo() const { return bits(21, 30); } // extended opcode 21:30
    constexpr unsigned rt() const { return bits(6, 10); }  // RT/RS/BO/BF..     6:10
    constexpr unsigned rs() const { return bits(6, 10); }
    constexpr unsigned ra() const { return bits(11, 15); } // RA / BI          11:15
    constexpr unsigned rb() const { return bits(16, 20); } // RB / SH          16:20
    constexpr unsigned bo() const { return bits(6, 10); }
    constexpr unsigned bi() const { return bits(11, 15); }
    constexpr unsigned bf() const { return bits(6, 8); }    // CR field         6:8
    constexpr unsigned bfa() const { return bits(11, 13); } // source CR field 11:13
    constexpr unsigned crba() const { return bits(11, 15); }
    constexpr unsigned crbb() const { return bits(16, 20); }
    constexpr unsigned crbc() const { return bits(21, 25); } // isel BC         21:25
    constexpr unsigned sh() const { return bits(16, 20); }
    constexpr unsigned mb() const { return bits(21, 25); }
    constexpr unsigned me() const { return bits(26, 30); }
    constexpr bool l() const { return bits(10, 10); }    // cmp L            10
    constexpr bool rc() const { return raw & 1; }        // record           31
    constexpr bool oe() const { return bits(21, 21); }   // overflow enable  21
    constexpr bool lk() const { return raw & 1; }        // link             31
    constexpr bool aa() const { return (raw >> 1) & 1; } // absolute         30
    constexpr int32_t simm() const { return static_cast<int16_t>(raw & 0xffff); } // 16:31
    constexpr uint32_t uimm() const { return raw & 0xffff; }
    constexpr int32_t bd() const { return static_cast<int16_t>(raw & 0xfffc); } // 16:29
    constexpr int32_t li() const {                                              // 6:29
        return static_cast<int32_t>((raw & 0x03fffffc) << 6) >> 6;
    }
    constexpr unsigned spr() const { return (bits(16, 20) << 5) | bits(11, 15); } // split 11:20
    constexpr unsigned fxm() const { return bits(12, 19); }   // mtcrf mask     12:19
    constexpr bool one_field() const { return bits(11, 11); } // mtocrf/mfocrf  11
    constexpr unsigned to() const { return bits(6, 10); }
    constexpr unsigned nb() const { return bits(16, 20); }
};

} // namespace vmc::emu
