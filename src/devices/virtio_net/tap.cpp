// The host side of virtio-net: a tap interface and the guest's MAC address.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdexcept>
#include <sys/ioctl.h>
#include <unistd.h>

#include "devices/virtio_net/net_device.hpp"

namespace vmc::devices::virtio_net {

namespace {
constexpr const char* kTunDevice = "/dev/net/tun";

// 64-bit FNV-1a: a fixed, documented hash, so the derived address never
// changes between builds or hosts.
uint64_t fnv1a(const std::string& text) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    return h;
}
} // namespace

Mac mac_address(const std::string& mac, const std::string& machine_name,
                const std::string& device_name) {
    Mac out{};
    if (!mac.empty()) {
        unsigned b[6];
        char tail = 0;
        if (std::sscanf(mac.c_str(), "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4],
                        &b[5], &tail) != 6)
            throw std::runtime_error(
                fmt::format("virtio-net {}: bad MAC address '{}' (expected the form "
                            "52:54:00:12:34:56)",
                            device_name, mac));
        for (int i = 0; i < 6; ++i)
            out[i] = static_cast<uint8_t>(b[i]);
        if (out[0] & 1)
            throw std::runtime_error(fmt::format(
                "virtio-net {}: MAC address {} is a multicast address", device_name, mac));
        return out;
    }
    // 52:54:00 is locally administered and unicast (the prefix QEMU uses too).
    uint64_t h = fnv1a(machine_name + "/" + device_name);
    out = {0x52,
           0x54,
           0x00,
           static_cast<uint8_t>(h >> 16),
           static_cast<uint8_t>(h >> 8),
           static_cast<uint8_t>(h)};
    return out;
}

int open_tap(const std::string& device_name, const std::string& tap) {
    if (tap.empty() || tap.size() >= IFNAMSIZ)
        throw std::runtime_error(
            fmt::format("virtio-net {}: tap name '{}' must have 1 to {} characters", device_name,
                        tap, IFNAMSIZ - 1));
    int fd = ::open(kTunDevice, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        if (err == ENOENT || err == ENODEV || err == ENXIO)
            throw std::runtime_error(
                fmt::format("virtio-net {}: tap {}: {} is missing ({}); load the tun "
                            "module (modprobe tun) or create the device node",
                            device_name, tap, kTunDevice, std::strerror(err)));
        if (err == EACCES || err == EPERM)
            throw std::runtime_error(
                fmt::format("virtio-net {}: tap {}: no permission to open {} ({}); add "
                            "read/write access for this user",
                            device_name, tap, kTunDevice, std::strerror(err)));
        throw std::runtime_error(fmt::format("virtio-net {}: tap {}: cannot open {}: {}",
                                             device_name, tap, kTunDevice, std::strerror(err)));
    }
    ifreq ifr{};
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
    std::memcpy(ifr.ifr_name, tap.c_str(), tap.size());
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        int err = errno;
        ::close(fd);
        if (err == EPERM || err == EACCES)
            throw std::runtime_error(fmt::format(
                "virtio-net {}: no permission to attach tap {} ({}); create it for this user first "
                "(ip tuntap add {} mode tap user $USER) or run with CAP_NET_ADMIN",
                device_name, tap, std::strerror(err), tap));
        if (err == EBUSY)
            throw std::runtime_error(fmt::format(
                "virtio-net {}: tap {} is in use by another process", device_name, tap));
        throw std::runtime_error(fmt::format("virtio-net {}: cannot attach tap {}: {}", device_name,
                                             tap, std::strerror(err)));
    }
    int header = static_cast<int>(kNetHeaderSize);
    if (ioctl(fd, TUNSETVNETHDRSZ, &header) < 0) {
        int err = errno;
        ::close(fd);
        throw std::runtime_error(
            fmt::format("virtio-net {}: tap {}: cannot set the vnet header size: {}", device_name,
                        tap, std::strerror(err)));
    }
    return fd;
}

} // namespace vmc::devices::virtio_net
