// virtio-net: virtio-mmio network device on a host tap interface or the
// user-mode network, as a device kind.
#include <fmt/format.h>

#include "devices/virtio_net/kind.hpp"
#include "devices/virtio_net/virtio_net_config.hpp"

namespace vmc::devices::virtio_net {

namespace {

// A device is on exactly one network, and its `user:` values make sense.
void check(const model::Machine&, const model::Device& device, CheckContext& ctx) {
    const Config& config = config_of<Config>(device);
    bool has_tap = !config.tap.empty();
    if (config.has_user() && has_tap)
        ctx.error(device.path + "/user",
                  "a virtio-net device has either `tap:` or `user:`, not both",
                  "remove one of them");
    else if (!config.has_user() && !has_tap)
        ctx.error(device.path, fmt::format("virtio-net '{}' has no network", device.name),
                  "add `user: {}` for the user-mode network, or `tap: NAME` for a host tap");
    for (const auto& problem : config.user_problems)
        ctx.error(device.path + "/user" + problem.pointer, problem.message, problem.hint);
}

constexpr DeviceKind kKind{
    .type = "virtio-net",
    .description = "virtio-mmio network device on a host tap interface or the user-mode network "
                   "(libslirp: DHCP, DNS, TFTP, port forwards)",
    .schema_fragment = "devices/virtio-net.schema.yaml",
    .parse = [](const model::Device& d) { return share(parse(d)); },
    .check = check,
    .emit_fdt = emit_fdt,
    .create = create,
};
} // namespace

const DeviceKind& device_kind() {
    return kKind;
}

} // namespace vmc::devices::virtio_net
