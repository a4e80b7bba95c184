// fsl-mpic: device-tree node.
#include <stdexcept>

#include "devices/kinds.hpp"

namespace vmc::devices::mpic {

void emit_fdt(const model::Machine&, const model::Device&, fdt::EmitContext&) {
    throw std::logic_error("fsl-mpic: device-tree node not written yet");
}

} // namespace vmc::devices::mpic
