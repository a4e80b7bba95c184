#include "fdt/emit_context.hpp"

#include <fmt/format.h>
#include <stdexcept>

#include "devices/registry.hpp"

namespace vmc::fdt {

namespace {

// Appends `value` as `count` cells, refusing values the cells cannot hold.
void append_cells(std::vector<uint32_t>& cells, uint64_t value, unsigned count,
                  const model::Device& device, std::string_view what) {
    if (count < 2 && (value >> 32) != 0)
        throw std::runtime_error(fmt::format("device tree: {}: {} {:#x} does not fit in {} cell",
                                             device.name, what, value, count));
    auto part = to_cells(value, count);
    cells.insert(cells.end(), part.begin(), part.end());
}

} // namespace

EmitContext::EmitContext(Writer& writer, const model::Machine& machine,
                         std::optional<Phandles> phandles)
    : out(writer), machine_(machine), phandles_(std::move(phandles)) {}

void EmitContext::enter_bus(const model::Bus& bus, std::string path) {
    bus_ = &bus;
    cells_ = kBusCells;
    bus_path_ = std::move(path);
}

void EmitContext::enter_root() {
    bus_ = nullptr;
    cells_ = kRootCells;
    bus_path_.clear();
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
    uint64_t address = device.address;
    if (bus_) {
        // ranges maps child address 0 to the bus base, so the window is [base, base + size).
        if (device.address < bus_->base || device.address + device.size > bus_->base + bus_->size)
            throw std::runtime_error(fmt::format(
                "device tree: {}: registers {:#x}+{:#x} lie outside bus {} "
                "({:#x}+{:#x})",
                device.name, device.address, device.size, bus_->name, bus_->base, bus_->size));
        address -= bus_->base;
    }
    std::vector<uint32_t> cells;
    append_cells(cells, address, cells_.address_cells, device, "address");
    append_cells(cells, device.size, cells_.size_cells, device, "size");
    out.prop_cells("reg", cells);
}

const devices::InterruptSpecifier* EmitContext::interrupt_specifier() const {
    const model::Device* controller = machine_.find_device(machine_.interrupt_controller);
    const devices::DeviceKind* kind =
        controller ? devices::find_device_kind(controller->type) : nullptr;
    return kind ? kind->interrupts : nullptr;
}

void EmitContext::interrupts(const model::Device& device) {
    if (!device.irq) return;
    const devices::InterruptSpecifier* format = interrupt_specifier();
    if (!format)
        throw std::runtime_error(
            fmt::format("device tree: {}: has an irq but the machine has no interrupt "
                        "controller that can describe it ('{}')",
                        device.name, machine_.interrupt_controller));
    std::vector<uint32_t> specifier = format->encode(*device.irq);
    out.prop_cells("interrupts", specifier);
    out.prop_u32("interrupt-parent", phandle_of(machine_.interrupt_controller));
}

void EmitContext::phandle(const model::Device& device) {
    if (!phandles_) return;
    auto it = phandles_->find(device.name);
    if (it == phandles_->end()) return;
    out.prop_u32("linux,phandle", it->second);
    out.prop_u32("phandle", it->second);
}

uint32_t EmitContext::phandle_of(std::string_view device_name) {
    std::string name(device_name);
    if (!machine_.find_device(name))
        throw std::runtime_error(fmt::format("device tree: no device '{}' to refer to", name));
    referenced_.insert(name);
    if (!phandles_) return 0;
    auto it = phandles_->find(name);
    if (it == phandles_->end())
        throw std::logic_error(
            fmt::format("device tree: '{}' was referenced but not numbered", name));
    return it->second;
}

void EmitContext::alias(std::string name, const model::Device& device) {
    aliases_[std::move(name)] = device.name;
}

void EmitContext::reserve(uint64_t address, uint64_t size) {
    reservations_.emplace_back(address, size);
}

} // namespace vmc::fdt
