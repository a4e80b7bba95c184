// The instructions the oracle checks and the operands it feeds them: edge
// values (zeros, denormals, the normal and single-format boundaries,
// infinities, NaNs) mixed with random values shaped to reach cancellation,
// overflow, underflow and rounding ties, under random FPSCR modes, enables
// and sticky bits.
#pragma once

#include <cstdint>
#include <random>
#include <span>

#include "fp_oracle/reference.hpp"

namespace vmc::fp_oracle {

struct Instruction {
    const char* name;
    uint32_t encoding; // FRT=4, FRA=1, FRB=2, FRC=3 where the form has them
    bool single;       // rounds to single precision (operand shaping)
    bool fpscr_move;   // mtfsf & co: the FPSCR and CR are the operands
};

// Every classic FP instruction the e500mc implements, Rc=0 forms (Rc is
// chosen at random per case).
std::span<const Instruction> instructions();

// The FPRs the encodings above read and write.
constexpr unsigned kA = 1, kB = 2, kC = 3, kT = 4;

struct Case {
    uint32_t insn = 0;
    Machine before;
};

class CaseGenerator {
public:
    explicit CaseGenerator(uint64_t seed) : rng_(seed) {}
    Case next(const Instruction& insn);

private:
    uint64_t operand(bool single);
    uint64_t edge();
    uint64_t random_double(int min_exp, int max_exp);
    uint32_t fpscr();
    std::mt19937_64 rng_;
};

} // namespace vmc::fp_oracle
