// fsl-pci: typed configuration of the host bridge (schema:
// schemas/devices/fsl-pci.schema.yaml, which gives the defaults).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "devices/config.hpp"
#include "devices/pci/fsl_pci_bridge.hpp"

namespace vmc::devices::fsl_pci {

struct Config {
    std::vector<std::string> compatible;
    pci::BridgeLayout layout;
    model::IrqSense intx_sense = model::IrqSense::LevelLow;
    std::string msi;   // the fsl-mpic-msi device the tree names (`fsl,msi`); empty: none
    std::string alias; // e.g. "pci0"; empty: none
    uint32_t clock_frequency = 0;
    uint32_t cell_index = 0;
};

// A window object's fields (the schema requires all three when it is given).
inline pci::Window parse_window(const nlohmann::json& w) {
    return pci::Window{w.at("cpu").get<uint64_t>(), w.at("bus").get<uint64_t>(),
                       w.at("size").get<uint64_t>()};
}

inline Config parse(const model::Device& d) {
    Config c;
    c.compatible = field<std::vector<std::string>>(d, "compatible");
    c.layout.memory = parse_window(field<nlohmann::json>(d, "memory"));
    if (auto io = optional_field<nlohmann::json>(d, "io")) c.layout.io = parse_window(*io);
    auto csr = field<nlohmann::json>(d, "csr-window");
    c.layout.csr_base = csr.at("at").get<uint64_t>();
    c.layout.csr_size = csr.at("size").get<uint64_t>();
    auto intx = field<std::vector<uint32_t>>(d, "intx");
    if (intx.size() != c.layout.intx.size())
        throw std::invalid_argument("`intx:` needs four interrupt sources");
    for (size_t i = 0; i < intx.size(); ++i)
        c.layout.intx[i] = intx[i];
    c.msi = optional_field<std::string>(d, "msi").value_or("");
    c.alias = optional_field<std::string>(d, "alias").value_or("");
    c.clock_frequency = field<uint32_t>(d, "clock-frequency");
    c.cell_index = field<uint32_t>(d, "cell-index");
    return c;
}

} // namespace vmc::devices::fsl_pci
