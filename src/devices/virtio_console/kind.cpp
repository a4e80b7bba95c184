// virtio-console: virtio-mmio console, as a device kind.
#include "devices/virtio_console/kind.hpp"
#include "devices/virtio_console/virtio_console_config.hpp"

namespace vmc::devices::virtio_console {

namespace {

constexpr DeviceKind kKind{
    .type = "virtio-console",
    .description = "virtio-mmio console",
    .schema_fragment = "devices/virtio-console.schema.yaml",
    .parse = [](const model::Device& d) { return share(parse(d)); },
    .emit_fdt = emit_fdt,
    .create = create,
};
} // namespace

const DeviceKind& device_kind() {
    return kKind;
}

} // namespace vmc::devices::virtio_console
