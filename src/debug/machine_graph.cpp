#include "debug/machine_graph.hpp"

#include <fmt/format.h>

#include "debug/memory_map.hpp"

namespace vmc::debug {

namespace {

// Every id and label is a quoted string, so no name can clash with a dot
// keyword. Only quotes are escaped: labels use dot's own `\n` line breaks.
std::string dot_id(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

std::string range(uint64_t start, uint64_t size) {
    return fmt::format("{:#x}-{:#x} ({})", start, start + size - 1, human_size(size));
}

const char* sense_name(model::IrqSense sense) {
    switch (sense) {
    case model::IrqSense::EdgeRising:
        return "edge rising";
    case model::IrqSense::LevelLow:
        return "level low";
    case model::IrqSense::LevelHigh:
        return "level high";
    case model::IrqSense::EdgeFalling:
        return "edge falling";
    }
    return "?";
}

std::string device_label(const model::Device& d) {
    std::string label = fmt::format("{}\\n{}", d.name, d.type);
    if (d.size != 0) label += "\\n" + range(d.address, d.size);
    if (d.irq) label += fmt::format("\\nirq {} ({})", d.irq->source, sense_name(d.irq->sense));
    return label;
}

void emit_device(const model::Device& d, const model::Machine& m, std::string& out) {
    bool controller = d.name == m.interrupt_controller;
    out += fmt::format("    {} [label={}{}];\n", dot_id("dev:" + d.name), dot_id(device_label(d)),
                       controller ? ", shape=box3d, style=filled, fillcolor=lightyellow" : "");
}

// Backing resources named by a device's kind-specific fields.
void emit_backing(const model::Device& d, std::string& out) {
    if (!d.props.is_object()) return;
    static constexpr struct {
        const char* field;
        const char* edge;
        const char* shape;
    } kFields[] = {{"console", "console", "note"}, {"image", "image", "cylinder"}};
    for (const auto& f : kFields) {
        auto it = d.props.find(f.field);
        if (it == d.props.end()) continue;
        // A console may be {backend: SPEC, log: FILE, ...}: its backend is what backs it.
        const nlohmann::json& value =
            it->is_object() && it->contains("backend") ? (*it)["backend"] : *it;
        if (!value.is_string()) continue;
        std::string spec = value.get<std::string>();
        std::string id = std::string(f.field) + ":" + spec;
        out += fmt::format("  {} [label={}, shape={}];\n", dot_id(id), dot_id(spec), f.shape);
        out += fmt::format("  {} -> {} [label={}, style=dashed, arrowhead=none];\n",
                           dot_id("dev:" + d.name), dot_id(id), dot_id(f.edge));
    }
}

} // namespace

std::string machine_to_dot(const model::Machine& m) {
    std::string out = fmt::format("digraph {} {{\n", dot_id(m.name));
    out +=
        fmt::format("  label={};\n  labelloc=t;\n  rankdir=LR;\n  node [shape=box];\n",
                    dot_id(fmt::format(
                        "{}{}", m.name,
                        m.board.empty() ? "" : fmt::format(" ({}@{})", m.board, m.board_version))));

    out += "  subgraph \"cluster_cpus\" {\n    label=\"CPUs\";\n";
    for (uint32_t n = 0; n < m.cpus; ++n)
        out += fmt::format("    {} [label={}, shape=box, style=filled, fillcolor=lightblue];\n",
                           dot_id(fmt::format("cpu{}", n)),
                           dot_id(fmt::format("cpu{}\\n{}", n, m.cpu.name)));
    out += "  }\n";
    if (m.memory.size != 0)
        out += fmt::format("  \"ram\" [label={}, shape=box3d];\n",
                           dot_id("RAM\\n" + range(m.memory.base, m.memory.size)));
    if (m.spin_table.address != 0)
        out +=
            fmt::format("  \"spin-table\" [label={}];\n",
                        dot_id("spin table\\n" + range(m.spin_table.address, m.spin_table_size())));

    for (const auto& b : m.buses) {
        out += fmt::format("  subgraph {} {{\n    label={};\n", dot_id("cluster_bus:" + b.name),
                           dot_id(fmt::format("bus {}\\n{}", b.name, range(b.base, b.size))));
        for (const auto& d : m.devices)
            if (d.bus == b.name) emit_device(d, m, out);
        out += "  }\n";
    }
    for (const auto& d : m.devices)
        if (d.bus.empty() || !m.find_bus(d.bus)) emit_device(d, m, out);

    for (const auto& d : m.devices)
        emit_backing(d, out);

    if (!m.interrupt_controller.empty() && m.find_device(m.interrupt_controller)) {
        std::string mpic = dot_id("dev:" + m.interrupt_controller);
        for (const auto& d : m.devices)
            if (d.irq)
                out += fmt::format("  {} -> {} [label={}, color=red];\n", dot_id("dev:" + d.name),
                                   mpic, dot_id(fmt::format("irq {}", d.irq->source)));
        for (uint32_t n = 0; n < m.cpus; ++n)
            out += fmt::format("  {} -> {} [label=\"int\", color=red];\n", mpic,
                               dot_id(fmt::format("cpu{}", n)));
    }
    out += "}\n";
    return out;
}

} // namespace vmc::debug
