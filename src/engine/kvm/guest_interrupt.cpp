#include "engine/kvm/guest_interrupt.hpp"

#include <cerrno>

namespace vmc::kvm {

namespace {
constexpr uint32_t kMsrKeptOnBaseInterrupt = 0x00020000 | 0x00001000 | 0x00000200; // CE ME DE
constexpr unsigned kIvorProgram = 6;
} // namespace

void raise_program_interrupt(KvmApi& api, int vcpu_fd, uint32_t esr) {
    uapi::Regs regs{};
    uapi::Sregs sregs{};
    api.get_regs(vcpu_fd, regs);
    api.get_sregs(vcpu_fd, sregs);
    auto& e = sregs.u.e;
    if (!(e.features & uapi::sregs::E_BASE) || !(e.features & uapi::sregs::E_IVOR))
        throw KvmError("delivering a program interrupt needs the BASE and IVOR sregs", ENOTSUP);
    regs.srr0 = regs.pc;
    regs.srr1 = regs.msr;
    regs.msr &= kMsrKeptOnBaseInterrupt;
    regs.pc = (e.ivpr & 0xffff0000u) | (e.ivor_low[kIvorProgram] & 0xfff0u);
    e.esr = esr;
    e.update_special = 0; // the timers stay as they are
    api.set_regs(vcpu_fd, regs);
    api.set_sregs(vcpu_fd, sregs);
}

} // namespace vmc::kvm
