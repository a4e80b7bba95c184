// Device kinds. Each kind lives in src/devices/<kind>/ and owns its four
// faces: schema fragment (schemas/devices/<kind>.schema.yaml), typed
// configuration (<kind>.hpp, parsed from model::Device::props), device-tree
// node (fdt.cpp) and runtime device (device.cpp). This table ties a YAML
// `type:` to them.
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "model/machine.hpp"

namespace vmc::fdt {
class EmitContext;
}
namespace vmc::vmm {
class Device;
class Vm;
} // namespace vmc::vmm

namespace vmc::devices {

struct DeviceKind {
    std::string_view type;        // YAML `type:`
    std::string_view description; // one line, for `vmcompose show`/docs
    // Emits the kind's node(s) under the node of the device's bus.
    void (*emit_fdt)(const model::Machine&, const model::Device&, fdt::EmitContext&);
    // Creates the runtime device and wires it into the graph.
    std::unique_ptr<vmm::Device> (*create)(const model::Device&, vmm::Vm&);
};

std::span<const DeviceKind> device_kinds();
const DeviceKind* find_device_kind(std::string_view type);

} // namespace vmc::devices
