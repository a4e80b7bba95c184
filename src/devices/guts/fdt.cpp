// fsl-guts: device-tree node.
#include <stdexcept>

#include "devices/kinds.hpp"

namespace vmc::devices::guts {

void emit_fdt(const model::Machine&, const model::Device&, fdt::EmitContext&) {
    throw std::logic_error("fsl-guts: device-tree node not written yet");
}

} // namespace vmc::devices::guts
