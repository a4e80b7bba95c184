// Which instructions the 6.1 kernel emulates when a Book E guest touches
// memory that is neither RAM nor an in-kernel device, for the stand-in
// kernel. kvmppc_emulate_loadstore (arch/powerpc/kvm/emulate_loadstore.c)
// runs analyse_instr and emulates only the plain LOAD/STORE types (integer,
// byte-reversed, with or without update, and the FP forms) and cache ops;
// every other access to device memory (lmw/stmw, the string forms,
// l*arx/st*cx.) is EMULATE_FAIL, which kvmppc_emulate_mmio turns into a
// program interrupt (ESR 0) on Book E.
#pragma once

#include <cstdint>

namespace vmc::kvm::test {

struct KernelMmioInsn {
    enum class Kind { Load, Store, CacheOp, Unsupported };
    enum class Fp { None, Single, Double, IntWord };
    Kind kind = Kind::Unsupported;
    unsigned size = 0; // bytes
    bool update = false;
    Fp fp = Fp::None;
    bool sign_extend = false;
    bool byte_reverse = false;
    unsigned reg = 0; // rT/rS/frT/frS
    unsigned ra = 0;  // for the update forms
};

namespace kernel_mmio_detail {
using Kind = KernelMmioInsn::Kind;
using Fp = KernelMmioInsn::Fp;
struct Form {
    unsigned code; // primary opcode, or the extended opcode under primary 31
    KernelMmioInsn insn;
};
constexpr Kind L = Kind::Load, S = Kind::Store;
// D-form: primary opcode.
// clang-format off
constexpr Form kPrimary[] = {
    {32, {L, 4, false}}, {33, {L, 4, true}}, // lwz lwzu
    {34, {L, 1, false}}, {35, {L, 1, true}}, // lbz lbzu
    {36, {S, 4, false}}, {37, {S, 4, true}}, // stw stwu
    {38, {S, 1, false}}, {39, {S, 1, true}}, // stb stbu
    {40, {L, 2, false}}, {41, {L, 2, true}}, // lhz lhzu
    {42, {L, 2, false, Fp::None, true}}, {43, {L, 2, true, Fp::None, true}}, // lha lhau
    {44, {S, 2, false}}, {45, {S, 2, true}}, // sth sthu
    {48, {L, 4, false, Fp::Single}}, {49, {L, 4, true, Fp::Single}}, // lfs lfsu
    {50, {L, 8, false, Fp::Double}}, {51, {L, 8, true, Fp::Double}}, // lfd lfdu
    {52, {S, 4, false, Fp::Single}}, {53, {S, 4, true, Fp::Single}}, // stfs stfsu
    {54, {S, 8, false, Fp::Double}}, {55, {S, 8, true, Fp::Double}}, // stfd stfdu
};
// clang-format on
// X-form: extended opcode under primary 31.
// clang-format off
constexpr Form kIndexed[] = {
    {23, {L, 4, false}}, {55, {L, 4, true}}, // lwzx lwzux
    {87, {L, 1, false}}, {119, {L, 1, true}}, // lbzx lbzux
    {151, {S, 4, false}}, {183, {S, 4, true}}, // stwx stwux
    {215, {S, 1, false}}, {247, {S, 1, true}}, // stbx stbux
    {279, {L, 2, false}}, {311, {L, 2, true}}, // lhzx lhzux
    {343, {L, 2, false, Fp::None, true}}, {375, {L, 2, true, Fp::None, true}}, // lhax lhaux
    {407, {S, 2, false}}, {439, {S, 2, true}}, // sthx sthux
    {534, {L, 4, false, Fp::None, false, true}}, // lwbrx
    {662, {S, 4, false, Fp::None, false, true}}, // stwbrx
    {790, {L, 2, false, Fp::None, false, true}}, // lhbrx
    {918, {S, 2, false, Fp::None, false, true}}, // sthbrx
    {535, {L, 4, false, Fp::Single}}, {567, {L, 4, true, Fp::Single}}, // lfsx lfsux
    {599, {L, 8, false, Fp::Double}}, {631, {L, 8, true, Fp::Double}}, // lfdx lfdux
    {663, {S, 4, false, Fp::Single}}, {695, {S, 4, true, Fp::Single}}, // stfsx stfsux
    {727, {S, 8, false, Fp::Double}}, {759, {S, 8, true, Fp::Double}}, // stfdx stfdux
    {983, {S, 4, false, Fp::IntWord}}, // stfiwx
    {1014, {Kind::CacheOp, 0, false}}, // dcbz
};
// clang-format on
} // namespace kernel_mmio_detail

// Anything not in the tables (lmw, stmw, l*arx, st*cx., the string forms,
// ldx/stdx on a 32-bit guest) is Unsupported.
inline KernelMmioInsn decode_kernel_mmio(uint32_t raw) {
    using namespace kernel_mmio_detail;
    const unsigned op = raw >> 26, xo = (raw >> 1) & 0x3ff;
    KernelMmioInsn insn;
    for (const Form& f : kPrimary)
        if (f.code == op) insn = f.insn;
    if (op == 31)
        for (const Form& f : kIndexed)
            if (f.code == xo) insn = f.insn;
    insn.reg = (raw >> 21) & 31;
    insn.ra = (raw >> 16) & 31;
    return insn;
}

} // namespace vmc::kvm::test
