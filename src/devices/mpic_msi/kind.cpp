// fsl-mpic-msi: the MPIC's shared message-signalled interrupt block, as a
// device kind.
#include "devices/mpic_msi/kind.hpp"
#include "devices/mpic_msi/mpic_msi_config.hpp"

namespace vmc::devices::mpic_msi {

namespace {

constexpr DeviceKind kKind{
    .type = "fsl-mpic-msi",
    .description = "MPIC shared message-signalled interrupts (fsl,mpic-msi)",
    .schema_fragment = "devices/fsl-mpic-msi.schema.yaml",
    .parse = [](const model::Device& d) { return share(parse(d)); },
    .emit_fdt = emit_fdt,
    .create = create,
};

} // namespace

const DeviceKind& device_kind() {
    return kKind;
}

} // namespace vmc::devices::mpic_msi
