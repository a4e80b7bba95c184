// gpio-poweroff: power-off through a GPIO output line, as a device kind.
#include <fmt/format.h>

#include "devices/gpio_poweroff/gpio_poweroff_config.hpp"
#include "devices/gpio_poweroff/kind.hpp"

namespace vmc::devices::gpio_poweroff {

namespace {

// The controller must be a GPIO controller that has the line.
void check(const model::Machine&, const model::Device& device, CheckContext& ctx) {
    const Config& config = config_of<Config>(device);
    const model::Device* controller =
        ctx.reference(device.path + "/controller", config.controller, Role::GpioController,
                      "a gpio-poweroff controller");
    if (!controller) return;
    uint32_t lines = kind_of(*controller).gpios->lines(*controller);
    if (config.pin >= lines)
        ctx.error(device.path + "/pin",
                  fmt::format("'{}' has no GPIO {}: it has {} lines, numbered from 0",
                              controller->name, config.pin, lines));
}

constexpr DeviceKind kKind{
    .type = "gpio-poweroff",
    .description = "Power-off through a GPIO output line",
    .schema_fragment = "devices/gpio-poweroff.schema.yaml",
    .parse = [](const model::Device& d) { return share(parse(d)); },
    .check = check,
    .emit_fdt = emit_fdt,
    .create = create,
};

} // namespace

const DeviceKind& device_kind() {
    return kKind;
}

} // namespace vmc::devices::gpio_poweroff
