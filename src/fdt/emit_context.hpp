// What a device kind's emit_fdt() gets: the writer positioned inside the
// node of the device's bus, and encoders that turn model values into cells
// in the parent's format, so no kind hand-writes `reg` or `interrupts`.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "fdt/writer.hpp"
#include "model/machine.hpp"

namespace vmc::fdt {

class EmitContext {
public:
    EmitContext(Writer& writer, const model::Machine& machine, std::map<std::string, uint32_t> phandles);

    Writer& out;

    // Opens `base@unit` for the device (unit = bus-relative address) and
    // records its path for aliases, stdout-path and references.
    [[nodiscard]] Writer::Node begin_device_node(std::string_view base, const model::Device& device);
    // Opens a node without registers (`power-off`).
    [[nodiscard]] Writer::Node begin_plain_node(std::string_view name, const model::Device& device);

    // `reg` in the bus's #address-cells/#size-cells.
    void reg(const model::Device& device);
    // `interrupts` (the interrupt controller's specifier) and `interrupt-parent`.
    void interrupts(const model::Device& device);
    // `phandle` and `linux,phandle`, when another node refers to this device.
    void phandle(const model::Device& device);
    // The phandle of the named device; throws when it has none.
    uint32_t phandle_of(std::string_view device_name) const;
    void alias(std::string name, const model::Device& device);

    // Set by compile() while inside a bus node.
    void enter_bus(const model::Bus* bus, std::string path);

    const std::map<std::string, std::string>& device_paths() const { return paths_; }
    const std::map<std::string, std::string>& aliases() const { return aliases_; }

private:
    const model::Machine& machine_;
    std::map<std::string, uint32_t> phandles_;
    const model::Bus* bus_ = nullptr;
    std::string bus_path_;
    std::map<std::string, std::string> paths_;   // device name -> node path
    std::map<std::string, std::string> aliases_; // alias -> device name
};

} // namespace vmc::fdt
