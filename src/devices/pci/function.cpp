#include "devices/pci/function.hpp"

namespace vmc::devices::pci {

void Function::config_write(unsigned offset, uint32_t value, unsigned size) {
    bool was = intx_level();
    config_.write(offset, value, size);
    // INTx disable may have changed what the pin carries.
    if (intx_level() != was && upstream_) upstream_->intx_changed(*this);
}

void Function::set_intx(bool level) {
    bool was = intx_level();
    intx_ = level;
    config_.set_intx_status(level);
    if (intx_level() != was && upstream_) upstream_->intx_changed(*this);
}

void Function::bus_write32(uint64_t bus_address, uint32_t value) {
    if (upstream_ && config_.bus_master()) upstream_->bus_write32(bus_address, value);
}

} // namespace vmc::devices::pci
