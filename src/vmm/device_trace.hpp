// `vmcompose up --trace mmio,irq`: one line per device register access and
// per interrupt event, stamped with guest time, for bringing up a guest
// driver. Installs itself as the observer of the Vm's bus, interrupt router
// and interrupt acknowledge, and restores them when destroyed.
#pragma once

#include <cstdio>
#include <map>
#include <string>

#include "vmm/vm.hpp"

namespace vmc::vmm {

class DeviceTrace : private MmioBus::Observer, private IrqSink, private InterruptAcknowledge {
public:
    // `out` stays owned by the caller. Call after vmm::build (the interrupt
    // controller must already be in place).
    DeviceTrace(Vm& vm, std::FILE* out, bool mmio, bool irq);
    ~DeviceTrace() override;
    DeviceTrace(const DeviceTrace&) = delete;
    DeviceTrace& operator=(const DeviceTrace&) = delete;

private:
    void mmio_access(const MmioBus::Region* region, uint64_t addr, unsigned size, uint64_t value,
                     bool write) override;
    void set_irq(uint32_t source, bool level) override;
    uint32_t acknowledge(unsigned cpu) override;
    void stamp();

    Vm& vm_;
    std::FILE* out_;
    InterruptAcknowledge* controller_ = nullptr; // the real one, when irq tracing wraps it
    std::map<uint32_t, bool> levels_;            // last level per source: log changes only
    std::map<uint32_t, std::string> source_names_;
};

} // namespace vmc::vmm
