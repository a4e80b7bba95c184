// fsl-pci: the Freescale PCI host bridge and its bus, as a device kind.
// Devices whose `bus:` names it are functions in its slots; they are created
// after it (BuildPhase::PciBuses).
#include "devices/fsl_pci/kind.hpp"
#include "devices/fsl_pci/fsl_pci_config.hpp"

namespace vmc::devices::fsl_pci {

namespace {

constexpr DeviceKind kKind{
    .type = "fsl-pci",
    .description = "Freescale PCI host bridge (fsl,mpc8540-pci) with its bus",
    .schema_fragment = "devices/fsl-pci.schema.yaml",
    .phase = BuildPhase::PciBuses,
    .roles = static_cast<Roles>(Role::PciBus),
    .parse = [](const model::Device& d) { return share(parse(d)); },
    .emit_fdt = emit_fdt,
    .create = create,
};

} // namespace

const DeviceKind& device_kind() {
    return kKind;
}

} // namespace vmc::devices::fsl_pci
