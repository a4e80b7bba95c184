#include "fdt/emit_context.hpp"

#include <fmt/format.h>
#include <stdexcept>

namespace vmc::fdt {

EmitContext::EmitContext(Writer& writer, const model::Machine& machine,
                         std::map<std::string, uint32_t> phandles)
    : out(writer), machine_(machine), phandles_(std::move(phandles)) {}

void EmitContext::enter_bus(const model::Bus* bus, std::string path) {
    bus_ = bus;
    bus_path_ = std::move(path);
}

Writer::Node EmitContext::begin_device_node(std::string_view base, const model::Device& device) {
    uint64_t unit = device.address - (bus_ ? bus_->base : 0);
    std::string name = fmt::format("{}@{:x}", base, unit);
    paths_[device.name] = bus_path_ + "/" + name;
    return out.begin_node(name);
}

Writer::Node EmitContext::begin_plain_node(std::string_view name, const model::Device& device) {
    paths_[device.name] = bus_path_ + "/" + std::string(name);
    return out.begin_node(name);
}

void EmitContext::reg(const model::Device& device) {
    // A bus child has one address and one size cell; a root child two of each.
    unsigned cells = bus_ ? 1 : 2;
    uint64_t address = device.address - (bus_ ? bus_->base : 0);
    std::vector<uint32_t> reg = to_cells(address, cells);
    auto size = to_cells(device.size, cells);
    reg.insert(reg.end(), size.begin(), size.end());
    out.prop_cells("reg", reg);
}

void EmitContext::interrupts(const model::Device& device) {
    if (!device.irq) return;
    // MPIC interrupt specifier: <source sense>.
    out.prop_cells("interrupts", {device.irq->source, static_cast<uint32_t>(device.irq->sense)});
    out.prop_u32("interrupt-parent", phandle_of(machine_.interrupt_controller));
}

void EmitContext::phandle(const model::Device& device) {
    auto it = phandles_.find(device.name);
    if (it == phandles_.end()) return;
    out.prop_u32("linux,phandle", it->second);
    out.prop_u32("phandle", it->second);
}

uint32_t EmitContext::phandle_of(std::string_view device_name) const {
    auto it = phandles_.find(std::string(device_name));
    if (it == phandles_.end())
        throw std::runtime_error(fmt::format("device tree: no node to refer to for '{}'", device_name));
    return it->second;
}

void EmitContext::alias(std::string name, const model::Device& device) { aliases_[std::move(name)] = device.name; }

} // namespace vmc::fdt
