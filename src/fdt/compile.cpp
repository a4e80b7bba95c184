// Machine-level nodes: root, buses, cpus, memory, chosen, aliases. Devices
// emit their own nodes through their kind (src/devices/<kind>/fdt.cpp).
#include "fdt/compile.hpp"

#include <fmt/format.h>
#include <set>
#include <stdexcept>

#include "devices/registry.hpp"
#include "fdt/emit_context.hpp"
#include "fdt/writer.hpp"

namespace vmc::fdt {

namespace {

// Phandles, allocated before emission so that a reference may precede the
// node it names: the interrupt controller first, then every device another
// device names as its `controller`, in model order.
std::map<std::string, uint32_t> allocate_phandles(const model::Machine& m) {
    std::map<std::string, uint32_t> phandles;
    uint32_t next = 1;
    if (!m.interrupt_controller.empty()) phandles[m.interrupt_controller] = next++;
    std::set<std::string> referenced;
    for (const auto& d : m.devices)
        if (auto it = d.props.find("controller"); it != d.props.end() && it->is_string())
            referenced.insert(it->get<std::string>());
    for (const auto& d : m.devices)
        if (referenced.count(d.name) && !phandles.count(d.name)) phandles[d.name] = next++;
    return phandles;
}

void emit_device(const model::Machine& m, const model::Device& d, EmitContext& ctx) {
    const devices::DeviceKind* kind = devices::find_device_kind(d.type);
    if (!kind) throw std::runtime_error(fmt::format("device tree: {}: unknown type '{}'", d.name, d.type));
    kind->emit_fdt(m, d, ctx);
}

void emit_bus(const model::Machine& m, const model::Bus& bus, EmitContext& ctx) {
    std::string name = fmt::format("{}@{:x}", bus.node_name, bus.base);
    auto node = ctx.out.begin_node(name);
    ctx.out.prop_u32("#address-cells", 1);
    ctx.out.prop_u32("#size-cells", 1);
    ctx.out.prop_strings("compatible", bus.compatible);
    if (!bus.device_type.empty()) {
        ctx.out.prop_string("device_type", bus.device_type);
        ctx.out.prop_u32("bus-frequency", bus.bus_frequency);
    }
    // ranges: child address 0 maps to the bus base, one cell each side but the parent's two.
    ctx.out.prop_cells("ranges", {0, static_cast<uint32_t>(bus.base >> 32), static_cast<uint32_t>(bus.base),
                                  static_cast<uint32_t>(bus.size)});
    if (!m.interrupt_controller.empty() && m.find_device(m.interrupt_controller))
        ctx.out.prop_u32("interrupt-parent", ctx.phandle_of(m.interrupt_controller));
    ctx.enter_bus(&bus, "/" + name);
    for (const auto& d : m.devices)
        if (d.bus == bus.name) emit_device(m, d, ctx);
    ctx.enter_bus(nullptr, "");
}

void emit_cpus(const model::Machine& m, Writer& out) {
    auto cpus = out.begin_node("cpus");
    out.prop_u32("#address-cells", 1);
    out.prop_u32("#size-cells", 0);
    for (uint32_t n = 0; n < m.cpus; ++n) {
        auto cpu = out.begin_node(fmt::format("{}@{}", m.cpu.node_name, n));
        out.prop_string("device_type", "cpu");
        out.prop_u32("reg", n);
        out.prop_u32("i-cache-line-size", m.cpu.i_cache_line_size);
        out.prop_u32("d-cache-line-size", m.cpu.d_cache_line_size);
        out.prop_u32("i-cache-size", m.cpu.i_cache_size);
        out.prop_u32("d-cache-size", m.cpu.d_cache_size);
        out.prop_u32("timebase-frequency", static_cast<uint32_t>(m.cpu.timebase_frequency));
        out.prop_u32("clock-frequency", static_cast<uint32_t>(m.cpu.clock_frequency));
        out.prop_u32("bus-frequency", static_cast<uint32_t>(m.cpu.bus_frequency));
        if (n == 0) {
            out.prop_string("status", "okay");
        } else {
            out.prop_string("status", "disabled");
            out.prop_string("enable-method", "spin-table");
            out.prop_u64("cpu-release-addr", m.spin_table.address + uint64_t{n} * m.spin_table.entry_size);
        }
    }
}

// 32-bit values in one cell, larger ones in two (Linux reads either).
void prop_address(Writer& out, std::string_view name, uint64_t value) {
    if (value >> 32)
        out.prop_u64(name, value);
    else
        out.prop_u32(name, static_cast<uint32_t>(value));
}

} // namespace

std::vector<uint8_t> compile(const model::Machine& m, const CompileInputs& inputs) {
    Writer out;
    uint64_t spin_size = uint64_t{m.spin_table.entry_size} * std::max<uint32_t>(m.max_cpus, 1);
    bool spin_in_ram = m.spin_table.address >= m.memory.base &&
                       m.spin_table.address + spin_size <= m.memory.base + m.memory.size;
    if (m.cpus > 1 && spin_in_ram) out.add_reservation(m.spin_table.address, spin_size);
    for (const auto& [address, size] : inputs.reserve) out.add_reservation(address, size);

    EmitContext ctx(out, m, allocate_phandles(m));
    {
    auto root = out.begin_node("");
    out.prop_u32("#address-cells", 2);
    out.prop_u32("#size-cells", 2);
    out.prop_strings("compatible", m.compatible);
    if (!m.model.empty()) out.prop_string("model", m.model);

    for (const auto& bus : m.buses) emit_bus(m, bus, ctx);
    ctx.enter_bus(nullptr, "");
    for (const auto& d : m.devices)
        if (d.bus.empty()) emit_device(m, d, ctx);

    emit_cpus(m, out);
    {
        auto memory = out.begin_node(fmt::format("memory@{:x}", m.memory.base));
        out.prop_string("device_type", "memory");
        out.prop_cells("reg", {static_cast<uint32_t>(m.memory.base >> 32), static_cast<uint32_t>(m.memory.base),
                               static_cast<uint32_t>(m.memory.size >> 32), static_cast<uint32_t>(m.memory.size)});
    }
    {
        auto chosen = out.begin_node("chosen");
        if (!m.boot.bootargs.empty()) out.prop_string("bootargs", m.boot.bootargs);
        if (auto it = ctx.device_paths().find(m.stdout_device); it != ctx.device_paths().end()) {
            out.prop_string("stdout-path", it->second);
            out.prop_string("linux,stdout-path", it->second);
        }
        if (inputs.initrd_end > inputs.initrd_start) {
            prop_address(out, "linux,initrd-start", inputs.initrd_start);
            prop_address(out, "linux,initrd-end", inputs.initrd_end);
        }
    }
    if (!ctx.aliases().empty()) {
        auto aliases = out.begin_node("aliases");
        for (const auto& [alias, device] : ctx.aliases()) out.prop_string(alias, ctx.device_paths().at(device));
    }
    if (inputs.hypervisor) {
        auto hv = out.begin_node("hypervisor");
        out.prop_strings("compatible", inputs.hypervisor->compatible);
        out.prop_cells("hcall-instructions", inputs.hypervisor->hcall_instructions);
    }
    } // closes the root node
    return out.finish();
}

} // namespace vmc::fdt
