// mpc8xxx-gpio: runtime device (GPDIR +0x00, GPODR +0x04, GPDAT +0x08,
// GPIER +0x0c, GPIMR +0x10, GPICR +0x14).
#include "devices/gpio/gpio.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <stdexcept>

#include "devices/gpio/kind.hpp"
#include "vmm/vm.hpp"

namespace vmc::devices::gpio {

namespace {
constexpr uint32_t bit(unsigned pin) {
    return pin < 32 ? 0x80000000u >> pin : 0;
}
} // namespace

Controller::Controller(std::string name, const Config& config, vmm::IrqLine irq)
    : vmm::Device(std::move(name)), config_(config), irq_(irq) {
    config_.ngpios = std::min<uint32_t>(config_.ngpios, kLines);
    // Pins the block does not have read as 0 and ignore writes.
    pins_ = config_.ngpios == kLines ? 0xffffffffu : ~(0xffffffffu >> config_.ngpios);
}

void Controller::reset() {
    uint32_t before = outputs();
    dir_ = odr_ = dat_ = ier_ = imr_ = icr_ = 0;
    notify_changes(before);
    update_irq();
}

uint64_t Controller::mmio_read(uint64_t offset, unsigned) {
    switch (offset) {
    case 0x00:
        return dir_;
    case 0x04:
        return odr_;
    case 0x08:
        return (dat_ & dir_) | (inputs_ & ~dir_); // outputs read back their latch
    case 0x0c:
        return ier_;
    case 0x10:
        return imr_;
    case 0x14:
        return icr_;
    default:
        return 0;
    }
}

void Controller::mmio_write(uint64_t offset, uint64_t value, unsigned) {
    uint32_t v = static_cast<uint32_t>(value) & pins_;
    uint32_t before = outputs();
    switch (offset) {
    case 0x00:
        dir_ = v;
        break;
    case 0x04:
        odr_ = v;
        break;
    case 0x08:
        dat_ = v;
        break;
    case 0x0c:
        ier_ &= ~v;
        break; // write 1 to clear
    case 0x10:
        imr_ = v;
        break;
    case 0x14:
        icr_ = v;
        break;
    default:
        return;
    }
    notify_changes(before);
    update_irq();
}

void Controller::on_output(unsigned pin, std::function<void(bool)> callback) {
    if (pin >= config_.ngpios)
        throw std::invalid_argument(fmt::format(
            "{} has no GPIO {} (it has {} pins, numbered from 0)", name(), pin, config_.ngpios));
    listeners_.emplace_back(pin, std::move(callback));
}

void Controller::set_input(unsigned pin, bool level) {
    if (pin >= config_.ngpios) return;
    uint32_t b = bit(pin);
    bool old = inputs_ & b;
    if (old == level) return;
    inputs_ = level ? (inputs_ | b) : (inputs_ & ~b);
    // GPICR bit set: falling edges only; clear: any edge.
    if (!(dir_ & b) && (level == false || !(icr_ & b))) ier_ |= b;
    update_irq();
}

void Controller::notify_changes(uint32_t before) {
    uint32_t changed = before ^ outputs();
    if (!changed) return;
    for (auto& [pin, callback] : listeners_)
        if (changed & bit(pin)) callback(outputs() & bit(pin));
}

void Controller::update_irq() {
    irq_.set((ier_ & imr_) != 0);
}

std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm) {
    return std::make_unique<Controller>(device.name, config_of<Config>(device),
                                        vm.irq_line(device));
}

} // namespace vmc::devices::gpio
