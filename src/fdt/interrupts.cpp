#include "fdt/interrupts.hpp"

#include <array>
#include <utility>

namespace vmc::fdt {

namespace {

// Freescale MPIC binding: <source sense>, the sense cell being the values of
// model::IrqSense (0 rising edge, 1 level low, 2 level high, 3 falling edge).
std::vector<uint32_t> mpic_specifier(const model::Irq& irq) {
    return {irq.source, static_cast<uint32_t>(irq.sense)};
}

constexpr InterruptFormat kMpic{2, mpic_specifier};

constexpr std::array<std::pair<std::string_view, const InterruptFormat*>, 1> kFormats{{
    {"fsl-mpic", &kMpic},
}};

} // namespace

const InterruptFormat* interrupt_format(std::string_view controller_type) {
    for (const auto& [type, format] : kFormats)
        if (type == controller_type) return format;
    return nullptr;
}

} // namespace vmc::fdt
