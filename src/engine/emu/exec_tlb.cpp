// TLB management instructions (Book III-E 6.11.4): all privileged, all
// delegated to the Mmu. Each ends the block so the soft TLB is re-checked.
#include "engine/emu/exec_util.hpp"

namespace vmc::emu {

VMC_HANDLER(tlbwe) {
    VMC_PRIVILEGED();
    if (!c.mmu.tlbwe(c.mas)) return c.illegal(i);
    c.end_block();
}
VMC_HANDLER(tlbre) {
    VMC_PRIVILEGED();
    c.mmu.tlbre(c.mas);
}
VMC_HANDLER(tlbsx) {
    VMC_PRIVILEGED();
    c.mmu.tlbsx(ea_x(c, i), c.mas);
}
// tlbivax is broadcast: every core's TLB drops the matching entries.
VMC_HANDLER(tlbivax) {
    VMC_PRIVILEGED();
    uint64_t ea = ea_x(c, i);
    for (Core* core : c.shared.cores)
        core->mmu.tlbivax(ea);
    c.end_block();
}
// tlbilx T field is instruction bits 9:10 (T=0 all, 1 by PID, 3 by address).
VMC_HANDLER(tlbilx) {
    VMC_PRIVILEGED();
    unsigned t = i.bits(9, 10);
    if (t == 2) return c.illegal(i);
    uint64_t ea = ea_x(c, i);
    uint32_t spid = (c.mas.mas6 >> 16) & 0x3fff;
    c.mmu.tlbilx(t, spid, ea, c.mas.mas6 & 1);
    c.end_block();
}
VMC_HANDLER(tlbsync) {
    VMC_PRIVILEGED();
}

} // namespace vmc::emu
