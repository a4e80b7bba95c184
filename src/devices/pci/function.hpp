// One PCI function on a host bridge's bus: its configuration space, the
// registers behind its BARs, its INTx pin and the bus-master writes it makes
// (MSI messages). The bridge decodes addresses and configuration cycles and
// routes interrupts; a function sees only offsets within its own BARs.
#pragma once

#include <cstdint>

#include "devices/pci/config_space.hpp"

namespace vmc::devices::pci {

class Function;

// What a function is plugged into (the host bridge).
class Upstream {
public:
    virtual ~Upstream() = default;
    // The function's INTx level changed (Function::intx_level()).
    virtual void intx_changed(Function& function) = 0;
    // A bus-master write of one 32-bit little-endian word (an MSI message).
    virtual void bus_write32(uint64_t bus_address, uint32_t value) = 0;
};

class Function {
public:
    explicit Function(const Identity& identity) : config_(identity) {}
    virtual ~Function() = default;
    Function(const Function&) = delete;
    Function& operator=(const Function&) = delete;

    ConfigSpace& config() { return config_; }
    const ConfigSpace& config() const { return config_; }

    // Configuration cycles (value: little-endian bytes as a number). A function
    // that owns state in its capabilities overrides config_write and calls this
    // one first.
    virtual uint32_t config_read(unsigned offset, unsigned size) {
        return config_.read(offset, size);
    }
    virtual void config_write(unsigned offset, uint32_t value, unsigned size);
    // Accesses inside BAR `bar`, values as the MMIO bus carries them (a
    // big-endian load's view of the bytes, vmm/mmio.hpp).
    virtual uint64_t bar_read(unsigned /*bar*/, uint64_t /*offset*/, unsigned /*size*/) {
        return 0;
    }
    virtual void bar_write(unsigned /*bar*/, uint64_t /*offset*/, uint64_t /*value*/,
                           unsigned /*size*/) {}
    // Power-on state (configuration space and the function's own).
    virtual void reset_function() {
        config_.reset();
        intx_ = false;
    }

    // The level the function drives on its INTx pin, after INTx disable.
    bool intx_level() const { return intx_ && !config_.intx_disabled(); }
    void plug(Upstream* upstream, unsigned slot) {
        upstream_ = upstream;
        slot_ = slot;
    }
    unsigned slot() const { return slot_; }

protected:
    // The function asserts or deasserts its INTx pin.
    void set_intx(bool level);
    // A bus-master write; dropped while bus mastering is off (command bit 2).
    void bus_write32(uint64_t bus_address, uint32_t value);

private:
    ConfigSpace config_;
    Upstream* upstream_ = nullptr;
    unsigned slot_ = 0;
    bool intx_ = false;
};

} // namespace vmc::devices::pci
