#include "config/machine_view.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "config/document.hpp"
#include "config/units.hpp"
#include "config/yaml_loader.hpp"
#include "model/address_map.hpp"

namespace vmc::config {

using ojson = nlohmann::ordered_json;

namespace {

const char* sense_name(model::IrqSense sense) {
    switch (sense) {
    case model::IrqSense::EdgeRising:
        return "edge-rising";
    case model::IrqSense::LevelLow:
        return "level-low";
    case model::IrqSense::LevelHigh:
        return "level-high";
    case model::IrqSense::EdgeFalling:
        return "edge-falling";
    }
    return "?";
}

// Keys whose numbers read better in hex.
bool hex_key(const std::string& key) {
    static const std::set<std::string> kHex = {"at",           "size",           "pvr",
                                               "svr",          "entry-size",     "i-cache-size",
                                               "d-cache-size", "kernel-address", "slot-size"};
    return kHex.contains(key);
}

std::string scalar_yaml(const std::string& key, const ojson& value) {
    if (value.is_string()) {
        std::string s = value.get<std::string>();
        bool plain = !s.empty() && resolve_plain_scalar(s) == nlohmann::json(s) &&
                     s.find_first_of(":#{}[],&*!|>'\"%") == std::string::npos && s.front() != ' ' &&
                     s.back() != ' ' && s.front() != '-';
        return plain ? s : ojson(s).dump();
    }
    if (value.is_number_unsigned() && hex_key(key))
        return fmt::format("{:#x}", value.get<uint64_t>());
    return value.dump();
}

std::string flow_list(const ojson& list) {
    std::string out;
    for (const auto& item : list)
        out += (out.empty() ? "" : ", ") + scalar_yaml("", item);
    return "[" + out + "]";
}

std::string provenance_of(const model::Machine& m, std::string pointer) {
    while (!pointer.empty()) {
        if (auto it = m.provenance.find(pointer); it != m.provenance.end())
            return format_mark(it->second);
        std::size_t slash = pointer.rfind('/');
        pointer.erase(slash == std::string::npos ? 0 : slash);
    }
    return "default";
}

void emit_yaml(const model::Machine& m, const ojson& node, const std::string& pointer, int indent,
               std::string& out) {
    std::string pad(static_cast<std::size_t>(indent), ' ');
    for (const auto& [key, value] : node.items()) {
        std::string child = pointer_child(pointer, key);
        if (value.is_object() && !value.empty()) {
            out += pad + key + ":\n";
            emit_yaml(m, value, child, indent + 2, out);
            continue;
        }
        std::string text = value.is_array() ? flow_list(value) : scalar_yaml(key, value);
        std::string line = pad + key + ": " + text;
        out += fmt::format("{:<48}  # {}\n", line, provenance_of(m, child));
    }
}

ojson device_json(const model::Device& d) {
    ojson out;
    out["type"] = d.type;
    if (!d.bus.empty()) out["bus"] = d.bus;
    if (d.size != 0) {
        out["at"] = d.address;
        out["size"] = d.size;
    } else if (d.address != 0) {
        out["at"] = d.address; // a block inside another device's window
    }
    if (d.slot) out["slot"] = *d.slot;
    if (d.irq) out["irq"] = {{"source", d.irq->source}, {"sense", sense_name(d.irq->sense)}};
    for (const auto& [key, value] : d.props.items())
        out[key] = value;
    return out;
}

std::vector<const model::Device*> irq_devices(const model::Machine& m) {
    std::vector<const model::Device*> out;
    for (const auto& d : m.devices)
        if (d.irq) out.push_back(&d);
    std::stable_sort(out.begin(), out.end(),
                     [](const auto* a, const auto* b) { return a->irq->source < b->irq->source; });
    return out;
}

} // namespace

std::string format_mark(const model::SourceMark& mark) {
    if (mark.line == 0) return mark.file;
    return fmt::format("{}:{}:{}", mark.file, mark.line, mark.column);
}

ojson machine_to_json(const model::Machine& m) {
    ojson out;
    out["name"] = m.name;
    if (!m.board.empty()) out["board"] = fmt::format("{}@{}", m.board, m.board_version);
    if (!m.model.empty()) out["model"] = m.model;
    if (!m.compatible.empty()) out["compatible"] = m.compatible;
    out["cpus"] = m.cpus;
    out["max-cpus"] = m.max_cpus;
    const model::CpuModel& c = m.cpu;
    out["cpu"] = {{"model", c.name},
                  {"node-name", c.node_name},
                  {"pvr", c.pvr},
                  {"svr", c.svr},
                  {"clock-frequency", c.clock_frequency},
                  {"timebase-frequency", c.timebase_frequency},
                  {"bus-frequency", c.bus_frequency},
                  {"i-cache-size", c.i_cache_size},
                  {"d-cache-size", c.d_cache_size},
                  {"i-cache-line-size", c.i_cache_line_size},
                  {"d-cache-line-size", c.d_cache_line_size},
                  {"tlb0", {{"entries", c.tlb0_entries}, {"ways", c.tlb0_ways}}},
                  {"tlb1", {{"entries", c.tlb1_entries}}}};
    out["memory"] = format_size(m.memory.size);
    if (m.memory.base != 0) out["memory"] = {{"at", m.memory.base}, {"size", m.memory.size}};
    if (m.spin_table.address != 0)
        out["spin-table"] = {{"at", m.spin_table.address}, {"entry-size", m.spin_table.entry_size}};
    if (!m.interrupt_controller.empty()) out["interrupt-controller"] = m.interrupt_controller;
    if (!m.stdout_device.empty()) out["stdout"] = m.stdout_device;
    out["on-reset"] = m.on_reset == model::ResetPolicy::Restart ? "restart" : "exit";
    ojson buses = ojson::object();
    for (const auto& b : m.buses) {
        ojson bus{{"at", b.base}, {"size", b.size}, {"node-name", b.node_name}};
        if (!b.compatible.empty()) bus["compatible"] = b.compatible;
        if (!b.device_type.empty()) bus["device-type"] = b.device_type;
        buses[b.name] = std::move(bus);
    }
    out["buses"] = std::move(buses);
    ojson devices = ojson::object();
    for (const auto& d : m.devices)
        devices[d.name] = device_json(d);
    out["devices"] = std::move(devices);
    if (!m.boot.kernel.empty()) out["kernel"] = m.boot.kernel;
    out["kernel-format"] = m.boot.kernel_format;
    if (m.boot.kernel_address != 0) out["kernel-address"] = m.boot.kernel_address;
    if (!m.boot.initrd.empty()) out["initrd"] = m.boot.initrd;
    if (!m.boot.dtb.empty()) out["dtb"] = m.boot.dtb;
    if (!m.boot.bootargs.empty()) out["bootargs"] = m.boot.bootargs;
    return out;
}

std::string machine_to_yaml(const model::Machine& m) {
    std::string out;
    emit_yaml(m, machine_to_json(m), "", 0, out);
    return out;
}

ojson memory_map_json(const model::Machine& m) {
    ojson out = ojson::array();
    for (const model::AddressRegion& e : model::address_regions(m, "memory (RAM)"))
        out.push_back({{"start", e.start},
                       {"end", e.start + e.size - 1},
                       {"size", e.size},
                       {"what", e.what}});
    return out;
}

ojson interrupts_json(const model::Machine& m) {
    ojson out = ojson::array();
    for (const model::Device* d : irq_devices(m))
        out.push_back({{"source", d->irq->source},
                       {"sense", sense_name(d->irq->sense)},
                       {"device", d->name},
                       {"type", d->type}});
    return out;
}

std::string memory_map_table(const model::Machine& m) {
    std::string out = fmt::format("{:<14}{:<14}{:>8}  {}\n", "START", "END", "SIZE", "WHAT");
    for (const model::AddressRegion& e : model::address_regions(m, "memory (RAM)"))
        out += fmt::format("{:<#14x}{:<#14x}{:>8}  {}\n", e.start, e.start + e.size - 1,
                           format_size(e.size), e.what);
    return out;
}

std::string interrupt_table(const model::Machine& m) {
    std::string out = fmt::format("{:<8}{:<14}{}\n", "SOURCE", "SENSE", "DEVICE");
    for (const model::Device* d : irq_devices(m))
        out += fmt::format("{:<8}{:<14}{} ({})\n", d->irq->source, sense_name(d->irq->sense),
                           d->name, d->type);
    return out;
}

} // namespace vmc::config
