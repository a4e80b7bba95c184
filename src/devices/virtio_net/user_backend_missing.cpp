// A build without libslirp (VMC_SLIRP off): `user:` is refused at start-up.
#include <stdexcept>

#include "devices/virtio_net/net_device.hpp"

namespace vmc::devices::virtio_net {

std::unique_ptr<Backend> make_user_backend(const std::string& device_name, const UserNetwork&,
                                           vmm::Vm&) {
    throw std::runtime_error("virtio-net " + device_name +
                             ": this vmcompose was built without libslirp, so it has no user-mode "
                             "network; use `tap:` or rebuild with libslirp-dev installed");
}

} // namespace vmc::devices::virtio_net
