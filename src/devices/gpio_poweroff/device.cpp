// gpio-poweroff: ends the VM (exit status 0) when the guest drives its
// GPIO line to the active level, as Linux's gpio-poweroff driver does in
// pm_power_off.
#include <fmt/format.h>
#include <stdexcept>

#include "devices/gpio/gpio.hpp"
#include "devices/gpio_poweroff/gpio_poweroff_config.hpp"
#include "devices/gpio_poweroff/kind.hpp"
#include "vmm/vm.hpp"

namespace vmc::devices::gpio_poweroff {

namespace {
// No registers of its own: the device only exists to own the wiring.
class PowerOff final : public vmm::Device {
public:
    using vmm::Device::Device;
};
} // namespace

std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm) {
    const Config& config = config_of<Config>(device);
    auto* controller = dynamic_cast<gpio::Controller*>(vm.find_device(config.controller));
    if (!controller)
        throw std::runtime_error(
            fmt::format("{}: controller '{}' is not a GPIO controller of this machine", device.name,
                        config.controller));
    vmm::VmControl* control = &vm.control;
    bool active_high = !config.active_low;
    controller->on_output(config.pin, [control, active_high](bool level) {
        if (level == active_high)
            control->request_stop(vmm::ExitReason::PowerOff, "guest powered off");
    });
    return std::make_unique<PowerOff>(device.name);
}

} // namespace vmc::devices::gpio_poweroff
