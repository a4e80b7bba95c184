// fsl-mpic: the Freescale MPIC (OpenPIC) as a device kind. Its interrupt
// specifier is the Freescale binding's <source sense>, the sense cell being
// model::IrqSense (0 rising edge, 1 level low, 2 level high, 3 falling edge).
#include "devices/mpic/kind.hpp"
#include "devices/mpic/mpic_config.hpp"

namespace vmc::devices::mpic {

namespace {

std::vector<uint32_t> specifier(const model::Irq& irq) {
    return {irq.source, static_cast<uint32_t>(irq.sense)};
}

uint32_t sources(const model::Device& controller) {
    return config_of<Config>(controller).sources;
}

constexpr InterruptSpecifier kInterrupts{2, specifier, sources};

constexpr DeviceKind kKind{
    .type = "fsl-mpic",
    .description = "Freescale MPIC (OpenPIC) interrupt controller",
    .schema_fragment = "devices/fsl-mpic.schema.yaml",
    .phase = BuildPhase::InterruptController,
    .roles = static_cast<Roles>(Role::InterruptController),
    .interrupts = &kInterrupts,
    .parse = [](const model::Device& d) { return share(parse(d)); },
    .emit_fdt = emit_fdt,
    .create = create,
};

} // namespace

const DeviceKind& device_kind() {
    return kKind;
}

} // namespace vmc::devices::mpic
