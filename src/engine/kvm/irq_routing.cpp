#include "engine/kvm/irq_routing.hpp"

#include <vector>

namespace vmc::kvm {

void route_gsis_to_mpic_pins(KvmApi& api, int vm_fd) {
    // One buffer holding the kvm_irq_routing header and its entries after it.
    constexpr size_t kHeaderWords = sizeof(uapi::IrqRouting) / sizeof(uint64_t);
    constexpr size_t kEntryWords = sizeof(uapi::IrqRoutingEntry) / sizeof(uint64_t);
    std::vector<uint64_t> buffer(kHeaderWords + kEntryWords * uapi::kIrqchipNumPins, 0);
    auto* routing = reinterpret_cast<uapi::IrqRouting*>(buffer.data());
    auto* entries = reinterpret_cast<uapi::IrqRoutingEntry*>(buffer.data() + kHeaderWords);
    routing->nr = uapi::kIrqchipNumPins;
    for (uint32_t pin = 0; pin < uapi::kIrqchipNumPins; ++pin) {
        entries[pin].gsi = pin;
        entries[pin].type = uapi::kIrqRoutingIrqchip;
        entries[pin].u.irqchip.irqchip = 0; // the MPIC is powerpc's only irqchip
        entries[pin].u.irqchip.pin = pin;
    }
    api.set_gsi_routing(vm_fd, *routing);
}

} // namespace vmc::kvm
