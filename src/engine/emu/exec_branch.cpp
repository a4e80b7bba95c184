// Branches (Book I 2.4) and the CR instructions (Book I 2.5, 3.3.15).
#include <bit>

#include "engine/emu/exec_util.hpp"

namespace vmc::emu {

namespace {

// BO decoding shared by bc, bclr and bcctr: decrement CTR unless BO[2], test
// it unless BO[2], test CR[BI] unless BO[0].
bool branch_taken(Core& c, Insn i, bool may_use_ctr) {
    unsigned bo = i.bo();
    bool ctr_ok = true;
    if (may_use_ctr && !(bo & 0x04)) {
        // In 32-bit mode only CTR's low word is tested.
        c.ctr = (c.ctr - 1) & c.gpr_mask;
        ctr_ok = ((c.ctr & c.ea_mask) != 0) != static_cast<bool>(bo & 0x02);
    }
    bool cond_ok = (bo & 0x10) || cr_bit(c, i.bi()) == static_cast<bool>(bo & 0x08);
    return ctr_ok && cond_ok;
}

void cr_logical(Core& c, Insn i, bool (*op)(bool, bool)) {
    bool r = op(cr_bit(c, i.crba()), cr_bit(c, i.crbb()));
    uint32_t m = 1u << (31 - i.rt());
    c.cr = r ? c.cr | m : c.cr & ~m;
}

} // namespace

// Targets and the link address wrap at 4 GiB in 32-bit mode (branch()
// and the masks below).
VMC_HANDLER(b) {
    uint64_t target = (i.aa() ? 0 : c.pc) + static_cast<uint64_t>(static_cast<int64_t>(i.li()));
    if (i.lk()) c.lr = (c.pc + 4) & c.ea_mask;
    c.branch(target);
}
VMC_HANDLER(bc) {
    bool taken = branch_taken(c, i, true);
    if (i.lk()) c.lr = (c.pc + 4) & c.ea_mask;
    if (taken) c.branch((i.aa() ? 0 : c.pc) + static_cast<uint64_t>(static_cast<int64_t>(i.bd())));
}
VMC_HANDLER(bclr) {
    uint64_t target = c.lr & ~uint64_t{3}; // read before LK overwrites it
    bool taken = branch_taken(c, i, true);
    if (i.lk()) c.lr = (c.pc + 4) & c.ea_mask;
    if (taken) c.branch(target);
}
// BO[2]=0 (decrement CTR) is an invalid form of bcctr; QEMU's e500mc raises illegal.
VMC_HANDLER(bcctr) {
    if (!(i.bo() & 0x04)) return c.illegal(i);
    bool taken = branch_taken(c, i, false);
    if (i.lk()) c.lr = (c.pc + 4) & c.ea_mask;
    if (taken) c.branch(c.ctr & ~uint64_t{3});
}

VMC_HANDLER(crand) {
    cr_logical(c, i, [](bool a, bool b) { return a && b; });
}
VMC_HANDLER(cror) {
    cr_logical(c, i, [](bool a, bool b) { return a || b; });
}
VMC_HANDLER(crxor) {
    cr_logical(c, i, [](bool a, bool b) { return a != b; });
}
VMC_HANDLER(crnand) {
    cr_logical(c, i, [](bool a, bool b) { return !(a && b); });
}
VMC_HANDLER(crnor) {
    cr_logical(c, i, [](bool a, bool b) { return !(a || b); });
}
VMC_HANDLER(creqv) {
    cr_logical(c, i, [](bool a, bool b) { return a == b; });
}
VMC_HANDLER(crandc) {
    cr_logical(c, i, [](bool a, bool b) { return a && !b; });
}
VMC_HANDLER(crorc) {
    cr_logical(c, i, [](bool a, bool b) { return a || !b; });
}

VMC_HANDLER(mcrf) {
    set_cr_field(c, i.bf(), (c.cr >> (28 - 4 * i.bfa())) & 0xf);
}
VMC_HANDLER(mcrxr) {
    set_cr_field(c, i.bf(), c.xer >> 28);
    c.xer &= 0x0fffffff;
}
// mfocrf (bit 11 set) with one field selected returns that field and zeroes
// the rest, as QEMU does (the ISA leaves the other bits undefined).
VMC_HANDLER(mfcr) {
    unsigned fxm = i.fxm();
    if (i.one_field() && std::popcount(fxm) == 1) {
        unsigned field = static_cast<unsigned>(std::countl_zero(fxm)) - 24;
        c.set_gpr(i.rt(), c.cr & (0xf0000000u >> (4 * field)));
    } else {
        c.set_gpr(i.rt(), c.cr);
    }
}
VMC_HANDLER(mtcrf) {
    uint32_t m = 0;
    for (unsigned f = 0; f < 8; ++f)
        if (i.fxm() & (0x80 >> f)) m |= 0xf0000000u >> (4 * f);
    c.cr = (c.cr & ~m) | (static_cast<uint32_t>(c.gpr[i.rs()]) & m);
}

} // namespace vmc::emu
