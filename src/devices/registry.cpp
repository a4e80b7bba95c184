#include "devices/registry.hpp"

#include <algorithm>

#include "devices/kinds.hpp"
#include "vmm/device.hpp"

namespace vmc::devices {

namespace {
constexpr DeviceKind kKinds[] = {
    {"fsl-mpic", "Freescale MPIC (OpenPIC) interrupt controller", mpic::emit_fdt, mpic::create},
    {"ns16550", "16550A UART", ns16550::emit_fdt, ns16550::create},
    {"fsl-guts", "Global utilities block (reset control register)", guts::emit_fdt, guts::create},
    {"mpc8xxx-gpio", "Freescale/QorIQ GPIO controller", gpio::emit_fdt, gpio::create},
    {"gpio-poweroff", "Power-off through a GPIO output line", gpio_poweroff::emit_fdt,
     gpio_poweroff::create},
    {"virtio-blk", "virtio-mmio block device backed by a raw image", virtio_blk::emit_fdt,
     virtio_blk::create},
    {"virtio-console", "virtio-mmio console", virtio_console::emit_fdt, virtio_console::create},
    {"virtio-rng", "virtio-mmio entropy source (host getrandom)", virtio_rng::emit_fdt,
     virtio_rng::create},
    {"virtio-net", "virtio-mmio network device on a host tap interface", virtio_net::emit_fdt,
     virtio_net::create},
};
} // namespace

std::span<const DeviceKind> device_kinds() {
    return kKinds;
}

const DeviceKind* find_device_kind(std::string_view type) {
    auto it = std::find_if(std::begin(kKinds), std::end(kKinds),
                           [&](const DeviceKind& k) { return k.type == type; });
    return it == std::end(kKinds) ? nullptr : &*it;
}

} // namespace vmc::devices
