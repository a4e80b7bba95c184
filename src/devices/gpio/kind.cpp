// mpc8xxx-gpio: the Freescale/QorIQ GPIO block as a device kind. Its GPIO
// specifier is <line flags>, flags bit 0 meaning active low (the generic
// GPIO binding's GPIO_ACTIVE_LOW).
#include "devices/gpio/kind.hpp"
#include "devices/gpio/gpio_config.hpp"

namespace vmc::devices::gpio {

namespace {

std::vector<uint32_t> specifier(uint32_t line, bool active_low) {
    return {line, active_low ? 1u : 0u};
}

uint32_t lines(const model::Device& controller) {
    return config_of<Config>(controller).ngpios;
}

constexpr GpioSpecifier kGpios{2, specifier, lines};

constexpr DeviceKind kKind{
    .type = "mpc8xxx-gpio",
    .description = "Freescale/QorIQ GPIO controller",
    .schema_fragment = "devices/mpc8xxx-gpio.schema.yaml",
    .phase = BuildPhase::GpioControllers,
    .roles = static_cast<Roles>(Role::GpioController),
    .gpios = &kGpios,
    .parse = [](const model::Device& d) { return share(parse(d)); },
    .emit_fdt = emit_fdt,
    .create = create,
};

} // namespace

const DeviceKind& device_kind() {
    return kKind;
}

} // namespace vmc::devices::gpio
