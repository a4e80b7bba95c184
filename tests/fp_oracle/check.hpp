// Runs vmcompose's FPU on a case and compares it with the reference.
#pragma once

#include <string>

#include "fp_oracle/cases.hpp"
#include "fp_oracle/reference.hpp"

namespace vmc::fp_oracle {

struct Observed {
    Machine after;
    Trap trap = Trap::None;
};

// vmcompose's FPU (src/engine/emu/fpu) on `c`.
Observed run_vmcompose(const Case& c);

// What differs between `got` and `want`, outside what the ISA leaves
// undefined; empty when they agree.
std::string differences(const Expected& want, const Observed& got);

// One line describing a case: instruction word, FPSCR, operands.
std::string describe(const Case& c);

} // namespace vmc::fp_oracle
