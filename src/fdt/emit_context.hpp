// What a device kind's emit_fdt() gets: the writer positioned inside the
// node of the device's bus, and encoders that turn model values into cells
// in the parent's format, so no kind hand-writes `reg`, `interrupts` or a
// phandle.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fdt/writer.hpp"
#include "model/machine.hpp"

namespace vmc::devices {
struct InterruptSpecifier;
}

namespace vmc::fdt {

// #address-cells / #size-cells of a node's children.
struct CellFormat {
    unsigned address_cells;
    unsigned size_cells;
};
constexpr CellFormat kRootCells{2, 2}; // 36-bit physical addresses need two cells
constexpr CellFormat kBusCells{1, 1};  // a bus window is below 4 GiB wide

class EmitContext {
public:
    // Device name -> phandle. Without a table the context only collects:
    // phandle_of() records the name and answers 0, so that compile() can
    // learn which nodes are referenced before it numbers them.
    using Phandles = std::map<std::string, uint32_t>;
    EmitContext(Writer& writer, const model::Machine& machine, std::optional<Phandles> phandles);

    Writer& out;

    // Opens `base@unit` for the device (unit = bus-relative address) and
    // records its path for aliases, stdout-path and references.
    [[nodiscard]] Writer::Node begin_device_node(std::string_view base,
                                                 const model::Device& device);
    // Opens a node without registers (`power-off`).
    [[nodiscard]] Writer::Node begin_plain_node(std::string_view name, const model::Device& device);

    // `reg` in the bus's #address-cells/#size-cells.
    void reg(const model::Device& device);
    // `interrupts` (the interrupt controller's specifier) and `interrupt-parent`.
    void interrupts(const model::Device& device);
    // How the machine's interrupt controller writes a specifier; nullptr
    // when it has none (nodes that map interrupts themselves ask for it).
    const devices::InterruptSpecifier* interrupt_specifier() const;
    // `phandle` and `linux,phandle`, when another node refers to this device.
    void phandle(const model::Device& device);
    // The phandle of the named device; throws when the machine has no such device.
    uint32_t phandle_of(std::string_view device_name);
    // `/aliases/<name>` = the device's path.
    void alias(std::string name, const model::Device& device);
    // A /memreserve/ entry: guest memory the kernel must leave alone.
    void reserve(uint64_t address, uint64_t size);

    // Set by compile() around the devices of each bus, and for root devices.
    void enter_bus(const model::Bus& bus, std::string path);
    void enter_root();

    const std::map<std::string, std::string>& device_paths() const { return paths_; }
    const std::map<std::string, std::string>& aliases() const { return aliases_; }
    const std::vector<std::pair<uint64_t, uint64_t>>& reservations() const { return reservations_; }
    const std::set<std::string>& referenced() const { return referenced_; }

private:
    const model::Machine& machine_;
    std::optional<Phandles> phandles_;
    const model::Bus* bus_ = nullptr;
    CellFormat cells_ = kRootCells;
    std::string bus_path_;
    std::map<std::string, std::string> paths_;   // device name -> node path
    std::map<std::string, std::string> aliases_; // alias -> device name
    std::vector<std::pair<uint64_t, uint64_t>> reservations_;
    std::set<std::string> referenced_;
};

} // namespace vmc::fdt
