// A minimal FPU for this test binary while the real one (src/engine/emu/fpu/)
// is not in the tree: fmr and the load/store conversions only.
#if !__has_include("engine/emu/fpu/fpu.cpp")

#include <cstring>

#include "engine/emu/fpu/fpu.hpp"

namespace vmc::emu::fpu {

Outcome execute(uint32_t insn, FpState& state, uint32_t&) {
    unsigned primary = insn >> 26, xo = (insn >> 1) & 0x3ff;
    if (primary == 63 && xo == 72) { // fmr
        state.fpr[(insn >> 21) & 31] = state.fpr[(insn >> 11) & 31];
        return Outcome::Ok;
    }
    return Outcome::Illegal;
}

uint64_t single_to_double(uint32_t single) {
    float f;
    std::memcpy(&f, &single, 4);
    double d = f;
    uint64_t r;
    std::memcpy(&r, &d, 8);
    return r;
}

uint32_t double_to_single(uint64_t dbl) {
    double d;
    std::memcpy(&d, &dbl, 8);
    float f = static_cast<float>(d);
    uint32_t r;
    std::memcpy(&r, &f, 4);
    return r;
}

} // namespace vmc::emu::fpu

#endif
