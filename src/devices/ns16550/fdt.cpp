// ns16550: device-tree node.
#include <stdexcept>

#include "devices/kinds.hpp"

namespace vmc::devices::ns16550 {

void emit_fdt(const model::Machine&, const model::Device&, fdt::EmitContext&) {
    throw std::logic_error("ns16550: device-tree node not written yet");
}

} // namespace vmc::devices::ns16550
