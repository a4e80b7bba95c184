// Supervisor and synchronisation instructions: MSR access, returns from
// interrupts, sc, wait, doorbells, barriers, and the illegal-instruction slot.
#include "engine/emu/exec_util.hpp"

namespace vmc::emu {

VMC_HANDLER(illegal_insn) {
    c.illegal(i);
}

VMC_HANDLER(sc) {
    if (((i.raw >> 5) & 0x7f) == 1 && c.shared.hypervisor) [[unlikely]] { // LEV=1
        c.shared.hypervisor->hypercall(c);
        c.end_block();
        return;
    }
    c.interrupt(Ivor::SystemCall, IntClass::Base, (c.pc + 4) & c.ea_mask);
}

VMC_HANDLER(mfmsr) {
    VMC_PRIVILEGED();
    c.set_gpr(i.rt(), c.msr);
}
VMC_HANDLER(mtmsr) {
    VMC_PRIVILEGED();
    c.set_msr(static_cast<uint32_t>(c.gpr[i.rs()]));
}
VMC_HANDLER(wrtee) {
    VMC_PRIVILEGED();
    c.set_msr((c.msr & ~msr::EE) | (static_cast<uint32_t>(c.gpr[i.rs()]) & msr::EE));
}
VMC_HANDLER(wrteei) {
    VMC_PRIVILEGED();
    c.set_msr((c.msr & ~msr::EE) | (i.raw & msr::EE)); // E is bit 16, where MSR[EE] sits
}

namespace {
// The return address is taken in the computation mode being returned to.
void return_from(Core& c, uint64_t srr0, uint32_t srr1) {
    c.set_msr(srr1);
    c.branch(srr0 & ~uint64_t{3});
}
} // namespace
VMC_HANDLER(rfi) {
    VMC_PRIVILEGED();
    return_from(c, c.s.srr0, c.s.srr1);
}
VMC_HANDLER(rfci) {
    VMC_PRIVILEGED();
    return_from(c, c.s.csrr0, c.s.csrr1);
}
VMC_HANDLER(rfmci) {
    VMC_PRIVILEGED();
    return_from(c, c.s.mcsrr0, c.s.mcsrr1);
}
VMC_HANDLER(rfdi) {
    VMC_PRIVILEGED();
    return_from(c, c.s.dsrr0, c.s.dsrr1);
}

// wait: sleep until an interrupt; execution resumes after the wait (SRR0 = next).
VMC_HANDLER(wait) {
    c.waiting = true;
    c.end_block();
}

// sync/msync/lwsync/mbar: one host thread runs every vCPU in order, so
// storage is always coherent and ordered.
VMC_HANDLER(sync) {}
VMC_HANDLER(isync) {
    c.end_block();
}

// Doorbells: RB[32:36] message type, RB[37] broadcast, RB[50:63] PIR tag.
namespace {
constexpr uint32_t kDbellTypeShift = 27, kDbellBroadcast = 0x04000000, kDbellPirMask = 0x3fff;
constexpr uint32_t kDbellNormal = 0, kDbellCritical = 1;
} // namespace
VMC_HANDLER(msgsnd) {
    VMC_PRIVILEGED();
    uint32_t rb = static_cast<uint32_t>(c.gpr[i.rb()]);
    uint32_t type = (rb >> kDbellTypeShift) & 0x1f;
    if (type != kDbellNormal && type != kDbellCritical) return;
    for (Core* target : c.shared.cores) {
        if (!(rb & kDbellBroadcast) && target->s.pir != (rb & kDbellPirMask)) continue;
        (type == kDbellNormal ? target->doorbell : target->doorbell_critical) = true;
    }
    c.end_block(); // a doorbell to ourselves is taken right after this instruction
}
VMC_HANDLER(msgclr) {
    VMC_PRIVILEGED();
    uint32_t type = (c.gpr[i.rb()] >> kDbellTypeShift) & 0x1f;
    if (type == kDbellNormal) c.doorbell = false;
    if (type == kDbellCritical) c.doorbell_critical = false;
}

} // namespace vmc::emu
