// mpc8xxx-gpio: the Freescale/QorIQ GPIO block. Pin n is bit (31 - n) of
// every register (big-endian numbering: pin 0 is 0x80000000).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "devices/gpio/gpio_config.hpp"
#include "vmm/device.hpp"
#include "vmm/irq.hpp"

namespace vmc::devices::gpio {

class Controller final : public vmm::Device {
public:
    Controller(std::string name, const Config& config, vmm::IrqLine irq);

    uint64_t mmio_read(uint64_t offset, unsigned size) override;
    void mmio_write(uint64_t offset, uint64_t value, unsigned size) override;
    void reset() override;

    unsigned pin_count() const { return config_.ngpios; }
    // Called with the new level whenever output pin `pin` changes (a pin
    // that is not an output reads low). Throws std::invalid_argument for a
    // pin the controller does not have.
    void on_output(unsigned pin, std::function<void(bool)> callback);
    // Drives input pin `pin` from the host side (raises GPIER/irq on edges).
    void set_input(unsigned pin, bool level);

private:
    uint32_t outputs() const { return dat_ & dir_; }
    void notify_changes(uint32_t before);
    void update_irq();

    Config config_;
    vmm::IrqLine irq_;
    uint32_t pins_ = 0; // mask of the pins this block has
    uint32_t dir_ = 0, odr_ = 0, dat_ = 0, ier_ = 0, imr_ = 0, icr_ = 0, inputs_ = 0;
    std::vector<std::pair<unsigned, std::function<void(bool)>>> listeners_;
};

} // namespace vmc::devices::gpio
