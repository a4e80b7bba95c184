// GSI routing for the in-kernel MPIC. Creating the MPIC leaves the kernel
// with an empty routing table, and KVM_IRQ_LINE on a GSI without a route is
// dropped while still returning 0: without this table no device interrupt
// would ever reach the guest.
#pragma once

#include "engine/kvm/kvm_api.hpp"

namespace vmc::kvm {

// Routes GSI n to MPIC pin n for every pin the kernel's irqchip has (256), as
// QEMU's in-kernel openpic does, so KVM_IRQ_LINE takes MPIC source numbers.
void route_gsis_to_mpic_pins(KvmApi& api, int vm_fd);

} // namespace vmc::kvm
