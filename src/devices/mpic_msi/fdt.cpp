// fsl-mpic-msi: device-tree node, as QEMU's ppce500 tree has it.
#include "devices/mpic_msi/kind.hpp"
#include "devices/mpic_msi/mpic_msi_config.hpp"
#include "devices/mpic_msi/msi.hpp"
#include "fdt/emit_context.hpp"

namespace vmc::devices::mpic_msi {

void emit_fdt(const model::Machine& machine, const model::Device& device, fdt::EmitContext& ctx) {
    const Config& config = config_of<Config>(device);
    auto node = ctx.begin_device_node("msi", device);
    ctx.out.prop_strings("compatible", config.compatible);
    model::Device block = device;
    block.size = Msi::kBlockSize;
    ctx.reg(block);
    ctx.out.prop_cells("msi-available-ranges", {0, 32 * Msi::kRegisters});
    if (const InterruptSpecifier* format = ctx.interrupt_specifier()) {
        std::vector<uint32_t> cells;
        for (uint32_t source : config.sources) {
            // Edge: one message is one event (the MSIR holds the bits).
            auto spec = format->encode(model::Irq{source, model::IrqSense::EdgeRising});
            cells.insert(cells.end(), spec.begin(), spec.end());
        }
        ctx.out.prop_cells("interrupts", cells);
        ctx.out.prop_u32("interrupt-parent", ctx.phandle_of(machine.interrupt_controller));
    }
    ctx.phandle(device);
}

} // namespace vmc::devices::mpic_msi
