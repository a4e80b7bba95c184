// fsl-pci: the host bridge's node, as QEMU's ppce500 board writes it: the
// PCI cell formats, `ranges` from the model's memory and I/O windows, and an
// `interrupt-map` with QEMU's swizzle for every slot and pin, so Linux routes
// INTx exactly where the bridge drives it. Devices on the bus have no nodes;
// the guest finds them by probing configuration space.
#include "devices/fsl_pci/fsl_pci_config.hpp"
#include "devices/fsl_pci/kind.hpp"
#include "fdt/emit_context.hpp"

namespace vmc::devices::fsl_pci {

namespace {
constexpr uint32_t kSpaceIo = 0x01000000, kSpaceMemory32 = 0x02000000;

void append_range(std::vector<uint32_t>& cells, uint32_t space, const pci::Window& w) {
    cells.insert(cells.end(),
                 {space, static_cast<uint32_t>(w.bus >> 32), static_cast<uint32_t>(w.bus),
                  static_cast<uint32_t>(w.cpu >> 32), static_cast<uint32_t>(w.cpu),
                  static_cast<uint32_t>(w.size >> 32), static_cast<uint32_t>(w.size)});
}
} // namespace

void emit_fdt(const model::Machine& machine, const model::Device& device, fdt::EmitContext& ctx) {
    const Config& config = config_of<Config>(device);
    auto node = ctx.begin_device_node("pci", device);
    ctx.out.prop_u32("#address-cells", 3);
    ctx.out.prop_u32("#size-cells", 2);
    ctx.out.prop_u32("#interrupt-cells", 1);
    ctx.out.prop_strings("compatible", config.compatible);
    ctx.out.prop_string("device_type", "pci");
    ctx.out.prop_u32("cell-index", config.cell_index);
    ctx.out.prop_u32("clock-frequency", config.clock_frequency);
    ctx.reg(device);
    ctx.interrupts(device);
    ctx.out.prop_cells("bus-range", {0, 0xff});
    std::vector<uint32_t> ranges;
    if (config.layout.memory.size) append_range(ranges, kSpaceMemory32, config.layout.memory);
    if (config.layout.io.size) append_range(ranges, kSpaceIo, config.layout.io);
    ctx.out.prop_cells("ranges", ranges);
    if (!config.msi.empty()) ctx.out.prop_u32("fsl,msi", ctx.phandle_of(config.msi));

    if (const InterruptSpecifier* format = ctx.interrupt_specifier()) {
        uint32_t parent = ctx.phandle_of(machine.interrupt_controller);
        std::vector<uint32_t> map;
        for (unsigned slot = 1; slot < config.layout.slots; ++slot)
            for (unsigned pin = 1; pin <= 4; ++pin) {
                map.insert(map.end(), {slot << 11, 0, 0, pin, parent});
                uint32_t source = config.layout.intx[(slot + pin - 1) % 4];
                auto spec = format->encode(model::Irq{source, config.intx_sense});
                map.insert(map.end(), spec.begin(), spec.end());
            }
        ctx.out.prop_cells("interrupt-map-mask", {0xf800, 0, 0, 7});
        ctx.out.prop_cells("interrupt-map", map);
    }
    if (!config.alias.empty()) ctx.alias(config.alias, device);
}

} // namespace vmc::devices::fsl_pci
