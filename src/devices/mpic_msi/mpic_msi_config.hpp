// fsl-mpic-msi: typed configuration (schema: schemas/devices/fsl-mpic-msi.schema.yaml).
// The block lies inside the MPIC's register window, so the model gives it no
// `size` (nothing claims the window twice); its extent is the hardware's,
// Msi::kBlockSize.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "devices/config.hpp"

namespace vmc::devices::mpic_msi {

struct Config {
    std::vector<std::string> compatible;
    std::vector<uint32_t> sources; // MPIC source of MSIR0..7
};

inline Config parse(const model::Device& d) {
    return Config{field<std::vector<std::string>>(d, "compatible"),
                  field<std::vector<uint32_t>>(d, "sources")};
}

} // namespace vmc::devices::mpic_msi
