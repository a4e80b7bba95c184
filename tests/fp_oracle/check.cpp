#include "fp_oracle/check.hpp"

#include <bit>
#include <cinttypes>
#include <cmath>
#include <cstdio>

#include "engine/emu/fpu/fpu.hpp"

namespace vmc::fp_oracle {
namespace {

std::string hex(uint64_t v, int digits) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%0*" PRIx64, digits, v);
    return buf;
}

// An estimate agrees when it is within the allowed relative error of the
// exact value (an exactly equal result always agrees).
bool estimate_agrees(uint64_t got, uint64_t want, double error) {
    if (got == want) return true;
    const double g = std::bit_cast<double>(got), w = std::bit_cast<double>(want);
    if (!std::isfinite(g) || !std::isfinite(w) || w == 0 || std::signbit(g) != std::signbit(w))
        return false;
    return std::fabs(g - w) <= error * std::fabs(w);
}

} // namespace

Observed run_vmcompose(const Case& c) {
    emu::fpu::FpState state;
    state.fpr = c.before.fpr;
    state.fpscr = c.before.fpscr;
    Observed o;
    o.after.cr = c.before.cr;
    const emu::fpu::Outcome outcome = emu::fpu::execute(c.insn, state, o.after.cr);
    o.after.fpr = state.fpr;
    o.after.fpscr = state.fpscr;
    o.trap = outcome == emu::fpu::Outcome::EnabledException ? Trap::Enabled
             : outcome == emu::fpu::Outcome::Illegal        ? Trap::Illegal
                                                            : Trap::None;
    return o;
}

std::string differences(const Expected& want, const Observed& got) {
    static constexpr const char* kTraps[] = {"none", "enabled", "illegal"};
    std::string out;
    if (want.trap != got.trap) {
        out += std::string(" trap ") + kTraps[static_cast<int>(got.trap)] + " want " +
               kTraps[static_cast<int>(want.trap)];
    }
    if (want.trap == Trap::Illegal || got.trap == Trap::Illegal) return out;
    const uint32_t fpscr_mask = ~want.fpscr_undefined;
    if ((want.after.fpscr ^ got.after.fpscr) & fpscr_mask) {
        out += " fpscr " + hex(got.after.fpscr, 8) + " want " + hex(want.after.fpscr, 8) +
               " (differ " + hex((want.after.fpscr ^ got.after.fpscr) & fpscr_mask, 8) + ")";
    }
    if (want.after.cr != got.after.cr) {
        out += " cr " + hex(got.after.cr, 8) + " want " + hex(want.after.cr, 8);
    }
    for (unsigned r = 0; r < 32; ++r) {
        const uint64_t g = got.after.fpr[r], w = want.after.fpr[r];
        bool same = g == w;
        if (r == want.target) {
            const uint64_t mask = ~want.target_undefined;
            same = ((g ^ w) & mask) == 0 ||
                   (want.estimate_error > 0 && estimate_agrees(g, w, want.estimate_error));
        }
        if (!same) out += " f" + std::to_string(r) + " " + hex(g, 16) + " want " + hex(w, 16);
    }
    return out;
}

std::string describe(const Case& c) {
    return hex(c.insn, 8) + " fpscr=" + hex(c.before.fpscr, 8) + " a=" + hex(c.before.fpr[kA], 16) +
           " b=" + hex(c.before.fpr[kB], 16) + " c=" + hex(c.before.fpr[kC], 16);
}

} // namespace vmc::fp_oracle
