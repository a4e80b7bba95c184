// The runtime face of a device kind: a register block on the MMIO bus plus
// whatever it is wired to. Created by the kind's factory from the model.
#pragma once

#include <string>

#include "vmm/mmio.hpp"

namespace vmc::vmm {

class Device : public MmioHandler {
public:
    explicit Device(std::string name) : name_(std::move(name)) {}
    const std::string& name() const { return name_; }
    // Guest reset (on-reset: restart): back to power-on state.
    virtual void reset() {}
    uint64_t mmio_read(uint64_t, unsigned) override { return 0; }
    void mmio_write(uint64_t, uint64_t, unsigned) override {}

private:
    std::string name_;
};

} // namespace vmc::vmm
