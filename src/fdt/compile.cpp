// Machine-level nodes: root, buses, cpus, memory, chosen, aliases. Devices
// emit their own nodes through their kind (src/devices/<kind>/fdt.cpp).
#include "fdt/compile.hpp"
#include "fdt/check.hpp"
#include "fdt/user_tree.hpp"

#include <algorithm>
#include <cstdio>
#include <fmt/format.h>
#include <stdexcept>

#include "devices/registry.hpp"
#include "fdt/emit_context.hpp"
#include "fdt/writer.hpp"

extern "C" {
#include <libfdt.h>
}

namespace vmc::fdt {

namespace {

void emit_device(const model::Machine& m, const model::Device& d, EmitContext& ctx) {
    const devices::DeviceKind* kind = devices::find_device_kind(d.type);
    if (!kind)
        throw std::runtime_error(
            fmt::format("device tree: {}: unknown device type '{}'", d.name, d.type));
    kind->emit_fdt(m, d, ctx);
}

// Cells of `value` in `count` cells, for the machine-level nodes whose values
// the model bounds (RAM, bus windows).
void append(std::vector<uint32_t>& cells, uint64_t value, unsigned count) {
    auto part = to_cells(value, count);
    cells.insert(cells.end(), part.begin(), part.end());
}

void emit_bus(const model::Machine& m, const model::Bus& bus, EmitContext& ctx) {
    std::string name = fmt::format("{}@{:x}", bus.node_name, bus.base);
    if ((bus.size >> 32) != 0)
        throw std::runtime_error(
            fmt::format("device tree: bus {}: a window of {:#x} bytes does not fit in "
                        "one size cell",
                        bus.name, bus.size));
    auto node = ctx.out.begin_node(name);
    ctx.out.prop_u32("#address-cells", kBusCells.address_cells);
    ctx.out.prop_u32("#size-cells", kBusCells.size_cells);
    ctx.out.prop_strings("compatible", bus.compatible);
    if (!bus.device_type.empty()) {
        ctx.out.prop_string("device_type", bus.device_type);
        ctx.out.prop_u32("bus-frequency", bus.bus_frequency);
    }
    // One range: child address 0 is the bus base.
    std::vector<uint32_t> ranges;
    append(ranges, 0, kBusCells.address_cells);
    append(ranges, bus.base, kRootCells.address_cells);
    append(ranges, bus.size, kBusCells.size_cells);
    ctx.out.prop_cells("ranges", ranges);
    if (bus.interrupt_parent && m.find_device(m.interrupt_controller))
        ctx.out.prop_u32("interrupt-parent", ctx.phandle_of(m.interrupt_controller));
    ctx.enter_bus(bus, "/" + name);
    for (const auto& d : m.devices)
        if (d.bus == bus.name) emit_device(m, d, ctx);
    ctx.enter_root();
}

// Frequencies are one cell in QEMU's tree and in what Linux reads first.
uint32_t frequency_cell(uint64_t hz, std::string_view what) {
    if ((hz >> 32) != 0)
        throw std::runtime_error(
            fmt::format("device tree: cpu {} {} Hz does not fit in one cell", what, hz));
    return static_cast<uint32_t>(hz);
}

void emit_cpus(const model::Machine& m, const std::optional<HostCpu>& host, Writer& out) {
    const uint64_t clock =
        host && host->clock_frequency ? host->clock_frequency : m.cpu.clock_frequency;
    const uint64_t timebase =
        host && host->timebase_frequency ? host->timebase_frequency : m.cpu.timebase_frequency;
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
        out.prop_u32("timebase-frequency", frequency_cell(timebase, "timebase-frequency"));
        out.prop_u32("clock-frequency", frequency_cell(clock, "clock-frequency"));
        out.prop_u32("bus-frequency", frequency_cell(m.cpu.bus_frequency, "bus-frequency"));
        if (n == 0) {
            out.prop_string("status", "okay");
        } else {
            // ePAPR spin table: CPU n polls entry n until the boot CPU releases it.
            out.prop_string("status", "disabled");
            out.prop_string("enable-method", "spin-table");
            out.prop_u64("cpu-release-addr", m.spin_table.entry_address(n));
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

void emit_chosen(const model::Machine& m, const CompileInputs& inputs, const EmitContext& ctx,
                 Writer& out) {
    auto chosen = out.begin_node("chosen");
    const std::string& bootargs = inputs.bootargs ? *inputs.bootargs : m.boot.bootargs;
    if (!bootargs.empty()) out.prop_string("bootargs", bootargs);
    if (!m.stdout_device.empty()) {
        auto it = ctx.device_paths().find(m.stdout_device);
        if (it == ctx.device_paths().end())
            throw std::runtime_error(fmt::format(
                "device tree: stdout device '{}' has no node in the tree", m.stdout_device));
        out.prop_string("stdout-path", it->second);
        if (m.linux_stdout_path) out.prop_string("linux,stdout-path", it->second);
    }
    if (inputs.initrd_end > inputs.initrd_start) {
        prop_address(out, "linux,initrd-start", inputs.initrd_start);
        prop_address(out, "linux,initrd-end", inputs.initrd_end);
    }
}

// Everything below the header. Run twice by compile(): once to learn which
// devices are referenced and what they reserve, once for real.
void emit_tree(const model::Machine& m, const CompileInputs& inputs, EmitContext& ctx) {
    Writer& out = ctx.out;
    auto root = out.begin_node("");
    out.prop_u32("#address-cells", kRootCells.address_cells);
    out.prop_u32("#size-cells", kRootCells.size_cells);
    out.prop_strings("compatible", m.compatible);
    if (!m.model.empty()) out.prop_string("model", m.model);

    for (const auto& bus : m.buses)
        emit_bus(m, bus, ctx);
    ctx.enter_root();
    for (const auto& d : m.devices)
        if (d.bus.empty()) emit_device(m, d, ctx);

    emit_cpus(m, inputs.host_cpu, out);
    {
        auto memory = out.begin_node(fmt::format("memory@{:x}", m.memory.base));
        out.prop_string("device_type", "memory");
        std::vector<uint32_t> reg;
        append(reg, m.memory.base, kRootCells.address_cells);
        append(reg, m.memory.size, kRootCells.size_cells);
        out.prop_cells("reg", reg);
    }
    emit_chosen(m, inputs, ctx, out);
    if (!ctx.aliases().empty()) {
        auto aliases = out.begin_node("aliases");
        for (const auto& [alias, device] : ctx.aliases())
            out.prop_string(alias, ctx.device_paths().at(device));
    }
    if (inputs.hypervisor) {
        auto hv = out.begin_node("hypervisor");
        out.prop_strings("compatible", inputs.hypervisor->compatible);
        out.prop_cells("hcall-instructions", inputs.hypervisor->hcall_instructions);
        if (inputs.hypervisor->has_idle) out.prop_empty("has-idle");
    }
}

// Numbers the referenced devices: the interrupt controller first (every
// interrupt names it), then the others in model order, from 1.
EmitContext::Phandles allocate_phandles(const model::Machine& m,
                                        const std::set<std::string>& referenced) {
    EmitContext::Phandles phandles;
    uint32_t next = 1;
    if (referenced.count(m.interrupt_controller)) phandles[m.interrupt_controller] = next++;
    for (const auto& d : m.devices)
        if (referenced.count(d.name) && !phandles.count(d.name)) phandles[d.name] = next++;
    return phandles;
}

std::vector<uint8_t> compile_own(const model::Machine& m, const CompileInputs& inputs) {
    // First pass into a scratch writer: which nodes are referenced, what the devices reserve.
    Writer scratch;
    EmitContext survey(scratch, m, std::nullopt);
    emit_tree(m, inputs, survey);

    std::vector<std::pair<uint64_t, uint64_t>> reservations;
    if (m.cpus > 1) {
        // The spin table is in RAM on some boards; then the kernel must not reuse it.
        uint64_t spin_size = m.spin_table_size();
        bool in_ram = m.spin_table.address >= m.memory.base &&
                      m.spin_table.address + spin_size <= m.memory.base + m.memory.size;
        if (in_ram) reservations.emplace_back(m.spin_table.address, spin_size);
    }
    reservations.insert(reservations.end(), inputs.reserve.begin(), inputs.reserve.end());
    reservations.insert(reservations.end(), survey.reservations().begin(),
                        survey.reservations().end());

    Writer out;
    for (const auto& [address, size] : reservations)
        out.add_reservation(address, size);
    EmitContext ctx(out, m, allocate_phandles(m, survey.referenced()));
    emit_tree(m, inputs, ctx);
    std::vector<uint8_t> blob = out.finish();
    if (int err = check_blob(blob.data(), blob.size()); err != 0)
        throw std::logic_error(
            fmt::format("device tree: compiled blob fails libfdt's check: {}", fdt_strerror(err)));
    return blob;
}

} // namespace

std::vector<uint8_t> compile(const model::Machine& m, const CompileInputs& inputs) {
    std::vector<uint8_t> own = compile_own(m, inputs);
    if (m.boot.dtb.empty()) return own;
    // A guest's tree is at most what the loader reserves for it (1 MiB).
    AdoptedTree tree = adopt_user_tree(m.boot.dtb, own, inputs, 1u << 20);
    for (const std::string& warning : tree.warnings)
        fmt::print(stderr, "vmcompose: warning: dtb {}: {}\n", m.boot.dtb, warning);
    return std::move(tree.blob);
}

} // namespace vmc::fdt
