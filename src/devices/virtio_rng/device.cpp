// virtio-rng: fills the driver's buffers from the host's getrandom().
#include <sys/random.h>

#include "devices/virtio/make_device.hpp"
#include "devices/virtio/transport.hpp"
#include "devices/virtio_rng/kind.hpp"
#include "devices/virtio_rng/virtio_rng_config.hpp"

namespace vmc::devices::virtio_rng {

namespace {
class Rng final : public virtio::VirtioDevice {
public:
    uint32_t device_id() const override { return virtio::kDeviceEntropy; }
    uint64_t features() const override { return 0; }
    unsigned queue_count() const override { return 1; }
    void notify(virtio::Transport& t, unsigned queue) override {
        if (queue != 0) return;
        bool any = false;
        while (auto chain = t.queue(0).pop(t.ram())) {
            // At most 64 KiB a request: a guest cannot make the host draw without bound.
            size_t want = std::min<size_t>(virtio::writable_length(chain->buffers), 64 * 1024);
            std::vector<uint8_t> bytes(want);
            ssize_t got = want ? getrandom(bytes.data(), want, 0) : 0;
            size_t n = got > 0 ? virtio::write_to(t.ram(), chain->buffers, 0, bytes.data(),
                                                  static_cast<size_t>(got))
                               : 0;
            t.queue(0).push(t.ram(), chain->head, static_cast<uint32_t>(n));
            any = true;
        }
        if (any) t.used(0);
    }
};
} // namespace

std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm) {
    return virtio::make_device(device, vm, config_of<Config>(device), std::make_unique<Rng>());
}

} // namespace vmc::devices::virtio_rng
