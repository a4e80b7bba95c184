// Interrupt specifiers: how a device's model::Irq is written in the cell
// format of the interrupt controller it is wired to. One table, keyed by
// the controller's device kind, so no device node hand-writes these cells.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "model/machine.hpp"

namespace vmc::fdt {

struct InterruptFormat {
    uint32_t cells; // the controller's #interrupt-cells
    std::vector<uint32_t> (*encode)(const model::Irq&);
};

// The specifier format of interrupt controllers of kind `controller_type`;
// nullptr when that kind is not an interrupt controller.
const InterruptFormat* interrupt_format(std::string_view controller_type);

} // namespace vmc::fdt
