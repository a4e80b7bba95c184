// virtio-blk: virtio-mmio block device backed by a raw image, as a device kind.
#include "devices/virtio_blk/kind.hpp"
#include "devices/virtio_blk/virtio_blk_config.hpp"

namespace vmc::devices::virtio_blk {

namespace {

// The image must exist when the machine is checked, not only when it runs.
void check(const model::Machine&, const model::Device& device, CheckContext& ctx) {
    ctx.file(device.path + "/image", config_of<Config>(device).image, "disk image");
}

constexpr DeviceKind kKind{
    .type = "virtio-blk",
    .description = "virtio-mmio block device backed by a raw image",
    .schema_fragment = "devices/virtio-blk.schema.yaml",
    .parse = [](const model::Device& d) { return share(parse(d)); },
    .check = check,
    .emit_fdt = emit_fdt,
    .create = create,
};
} // namespace

const DeviceKind& device_kind() {
    return kKind;
}

} // namespace vmc::devices::virtio_blk
