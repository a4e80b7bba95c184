// fsl-guts: global utilities (reset control) as a device kind.
#include "devices/guts/kind.hpp"
#include "devices/guts/guts_config.hpp"

namespace vmc::devices::guts {

namespace {
constexpr DeviceKind kKind{
    .type = "fsl-guts",
    .description = "Global utilities block (reset control register)",
    .schema_fragment = "devices/fsl-guts.schema.yaml",
    .parse = [](const model::Device& d) { return share(parse(d)); },
    .emit_fdt = emit_fdt,
    .create = create,
};
} // namespace

const DeviceKind& device_kind() {
    return kKind;
}

} // namespace vmc::devices::guts
