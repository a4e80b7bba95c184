// fsl-guts: device-tree node.
#include "devices/guts/guts_config.hpp"
#include "devices/guts/kind.hpp"
#include "fdt/emit_context.hpp"

namespace vmc::devices::guts {

void emit_fdt(const model::Machine&, const model::Device& device, fdt::EmitContext& ctx) {
    const Config& config = config_of<Config>(device);
    auto node = ctx.begin_device_node("global-utilities", device);
    if (config.has_rstcr) ctx.out.prop_empty("fsl,has-rstcr");
    ctx.reg(device);
    ctx.out.prop_strings("compatible", config.compatible);
}

} // namespace vmc::devices::guts
