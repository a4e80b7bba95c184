// ns16550: a 16550A UART as a device kind; the machine's `stdout:` may name it.
#include "devices/ns16550/kind.hpp"
#include "devices/ns16550/ns16550_config.hpp"

namespace vmc::devices::ns16550 {

namespace {
constexpr DeviceKind kKind{
    .type = "ns16550",
    .description = "16550A UART",
    .schema_fragment = "devices/ns16550.schema.yaml",
    .roles = static_cast<Roles>(Role::SerialConsole),
    .parse = [](const model::Device& d) { return share(parse(d)); },
    .emit_fdt = emit_fdt,
    .create = create,
};
} // namespace

const DeviceKind& device_kind() {
    return kKind;
}

} // namespace vmc::devices::ns16550
