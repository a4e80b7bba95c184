// Interrupts the engine itself delivers to a vCPU through its registers,
// for exits the kernel leaves to userspace that the guest must see.
#pragma once

#include <cstdint>

#include "engine/kvm/kvm_api.hpp"

namespace vmc::kvm {

// A program interrupt at the instruction at pc (SRR0 = pc, ESR = `esr`):
// MSR[CE,ME,DE] kept, the rest cleared, execution at IVPR | IVOR6, as the
// core delivers a base-class interrupt. QEMU does the same for a debug exit
// that is not its own (a guest ehpriv with no debugger).
void raise_program_interrupt(KvmApi& api, int vcpu_fd, uint32_t esr);

constexpr uint32_t kEsrIllegal = 0x08000000; // ESR[PIL]

} // namespace vmc::kvm
