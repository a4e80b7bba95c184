// Device kinds. A kind is known in one place: its folder src/devices/<kind>/,
// whose kind.cpp defines `const DeviceKind& device_kind()` in namespace
// vmc::devices::<folder> (the build lists every such file; see
// docs/device-kinds.md), plus its schema fragment under schemas/devices/.
// Everything else asks a kind for its roles and faces, never for its name.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/machine.hpp"

namespace vmc::fdt {
class EmitContext;
}
namespace vmc::vmm {
class Device;
class Vm;
} // namespace vmc::vmm

namespace vmc::devices {

// What other parts of the machine may ask a device to be.
enum class Role : uint32_t {
    InterruptController = 1u << 0, // the machine's `interrupt-controller:` (every `irq:`)
    SerialConsole = 1u << 1,       // a port the machine's `stdout:` may name
    GpioController = 1u << 2,      // other devices refer to its lines
    PciBus = 1u << 3,              // a PCI host bridge: devices with a `slot:` name it as `bus:`
};
using Roles = uint32_t;
constexpr Roles operator|(Role a, Role b) {
    return static_cast<Roles>(a) | static_cast<Roles>(b);
}

// The order in which vmm::build creates devices: interrupt controllers
// first so that every later device's line reaches one, GPIO controllers
// before the devices wired to their lines, PCI host bridges before the
// functions plugged into their slots, then the rest in file order.
enum class BuildPhase { InterruptController, GpioControllers, PciBuses, Devices };

// How an interrupt controller's consumers write a model::Irq in the tree.
struct InterruptSpecifier {
    uint32_t cells; // #interrupt-cells
    std::vector<uint32_t> (*encode)(const model::Irq&);
    uint32_t (*sources)(const model::Device& controller); // sources 0 .. n-1 exist
};

// How a GPIO controller's consumers write a line in the tree (`gpios`).
struct GpioSpecifier {
    uint32_t cells; // #gpio-cells
    std::vector<uint32_t> (*encode)(uint32_t line, bool active_low);
    uint32_t (*lines)(const model::Device& controller); // lines 0 .. n-1 exist
};

// What a kind's cross-reference check may report through (the config
// stage's semantic checks implement it; messages name file:line:col).
class CheckContext {
public:
    virtual ~CheckContext() = default;
    // The device `name`, which must play `role`; otherwise an error at
    // `pointer` saying that `what` ("a gpio-poweroff controller") must be one.
    virtual const model::Device* reference(const std::string& pointer, const std::string& name,
                                           Role role, std::string_view what) = 0;
    // An error at `pointer` unless `path` is an existing regular file.
    virtual void file(const std::string& pointer, const std::string& path,
                      std::string_view what) = 0;
    virtual void error(const std::string& pointer, std::string message, std::string hint = {}) = 0;
};

struct DeviceKind {
    std::string_view type;            // YAML `type:`
    std::string_view description;     // one line, for `vmcompose show` and docs
    std::string_view schema_fragment; // under schemas/: "devices/<type>.schema.yaml"
    BuildPhase phase = BuildPhase::Devices;
    Roles roles = 0;
    const InterruptSpecifier* interrupts = nullptr; // with Role::InterruptController
    const GpioSpecifier* gpios = nullptr;           // with Role::GpioController
    // Parses device.props (schema defaults applied) into the kind's Config;
    // throws std::invalid_argument naming the field when it cannot.
    std::shared_ptr<const model::DeviceConfig> (*parse)(const model::Device&) = nullptr;
    // Checks what the device names elsewhere in the machine (optional).
    void (*check)(const model::Machine&, const model::Device&, CheckContext&) = nullptr;
    // Emits the kind's node(s) under the node of the device's bus.
    void (*emit_fdt)(const model::Machine&, const model::Device&, fdt::EmitContext&) = nullptr;
    // Creates the runtime device and wires it into the graph.
    std::unique_ptr<vmm::Device> (*create)(const model::Device&, vmm::Vm&) = nullptr;

    bool has(Role role) const { return (roles & static_cast<Roles>(role)) != 0; }
};

// Every kind, by type.
std::span<const DeviceKind* const> device_kinds();
const DeviceKind* find_device_kind(std::string_view type);
// The kind of `device`; throws std::invalid_argument for an unknown type.
const DeviceKind& kind_of(const model::Device& device);
// The types of the kinds that play `role`, for messages ("ns16550").
std::vector<std::string> kind_types_with(Role role);

} // namespace vmc::devices
