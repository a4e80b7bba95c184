// virtio-net pieces the kind's create() puts together, exposed so tests can
// run the device over a socket pair instead of a real tap, or over the
// user-mode network.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "devices/virtio_net/backend.hpp"
#include "devices/virtio_net/user_config.hpp"
#include "model/machine.hpp"
#include "vmm/device.hpp"

namespace vmc::vmm {
class EventLoop;
class Vm;
} // namespace vmc::vmm

namespace vmc::devices::virtio_net {

using Mac = std::array<uint8_t, 6>;

// The virtio 1.x header in front of every frame (struct virtio_net_hdr with
// num_buffers), which the tap is told to use as its vnet header as well.
constexpr size_t kNetHeaderSize = 12;

// `mac` when set ("52:54:00:12:34:56"), else 52:54:00 followed by three bytes
// hashed from the machine and device names: stable across runs, different
// for each device. Throws std::runtime_error on a malformed address.
Mac mac_address(const std::string& mac, const std::string& machine_name,
                const std::string& device_name);

// Opens tap `tap` with IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, non-blocking, with
// a kNetHeaderSize vnet header. Throws std::runtime_error naming the device,
// the tap and what is missing (the tun driver, a permission).
int open_tap(const std::string& device_name, const std::string& tap);

// A backend over `frame_fd` (owned): each read returns one frame and each
// write sends one, both behind a kNetHeaderSize header (a tap, a socket pair).
std::unique_ptr<Backend> make_fd_backend(vmm::EventLoop& events, int frame_fd);

// The user-mode network (libslirp), driven by the VM's event loop, clock and
// timers. Throws std::runtime_error naming the device
// when a forward cannot be set up (its host port is taken) or when this build
// has no user-mode network.
std::unique_ptr<Backend> make_user_backend(const std::string& device_name,
                                           const UserNetwork& network, vmm::Vm& vm);

// The device on `backend`.
std::unique_ptr<vmm::Device> make_device(const model::Device& device, vmm::Vm& vm,
                                         std::unique_ptr<Backend> backend, Mac mac);

} // namespace vmc::devices::virtio_net
