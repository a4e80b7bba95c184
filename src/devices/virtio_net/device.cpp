// virtio-net: one receive and one transmit queue bridged to a backend (a tap,
// the user-mode network). Frames for the guest are announced through the VM's
// event loop; when the guest has no receive buffer posted, the device stops
// listening, so the backend (not the device) holds the backlog. Transmit hands
// each frame straight to the backend.
#include <algorithm>
#include <fmt/format.h>
#include <stdexcept>
#include <vector>

#include "devices/virtio/mmio_transport.hpp"
#include "devices/virtio_net/kind.hpp"
#include "devices/virtio_net/net_device.hpp"
#include "devices/virtio_net/virtio_net_config.hpp"
#include "vmm/vm.hpp"

namespace vmc::devices::virtio_net {

namespace {
constexpr unsigned kReceive = 0, kTransmit = 1;
constexpr uint64_t kFeatureMac = 1u << 5, kFeatureStatus = 1u << 16;
constexpr uint16_t kLinkUp = 1;
// Largest frame either way: a 64 KiB packet plus Ethernet/VLAN headers
// (nothing larger is possible without the GSO features, which are not offered).
constexpr size_t kFrameMax = 65535 + 18;
// Frames moved per event-loop wake-up, so one busy backend cannot starve the VM.
constexpr unsigned kReceiveBatch = 64;

class Net final : public virtio::VirtioDevice {
public:
    Net(std::unique_ptr<Backend> backend, Mac mac)
        : backend_(std::move(backend)), mac_(mac), frame_(kNetHeaderSize + kFrameMax) {}
    ~Net() override { stop_listening(); }

    uint32_t device_id() const override { return virtio::kDeviceNet; }
    uint64_t features() const override { return kFeatureMac | kFeatureStatus; }
    unsigned queue_count() const override { return 2; }
    std::vector<uint8_t> config() const override {
        std::vector<uint8_t> c(mac_.begin(), mac_.end());
        c.push_back(kLinkUp & 0xff);
        c.push_back(kLinkUp >> 8);
        return c;
    }
    void attach(virtio::Transport& t) override { transport_ = &t; }
    void activate(virtio::Transport&) override { start_listening(); }
    void reset() override {
        stop_listening();
        pending_ = 0;
    }

    void notify(virtio::Transport& t, unsigned queue) override {
        if (queue == kReceive) {
            start_listening(); // new buffers: listen again (receive() stops if they run out)
            receive();
            return;
        }
        if (queue != kTransmit) return;
        bool any = false;
        while (auto chain = t.queue(kTransmit).pop(t.ram())) {
            size_t n = virtio::readable_length(chain->buffers);
            // A frame without its header, or larger than any frame can be, is dropped. Without
            // offload features the header carries nothing the backend needs.
            if (n > kNetHeaderSize && n <= kNetHeaderSize + kFrameMax) {
                std::vector<uint8_t> bytes(n - kNetHeaderSize);
                n = virtio::read_from(t.ram(), chain->buffers, kNetHeaderSize, bytes.data(),
                                      bytes.size());
                backend_->send({bytes.data(), n});
            }
            t.queue(kTransmit).push(t.ram(), chain->head, 0);
            any = true;
        }
        if (any) t.used(kTransmit);
    }

private:
    void start_listening() {
        if (listening_) return;
        backend_->notify_frames([this] { receive(); });
        listening_ = true;
    }
    void stop_listening() {
        if (!listening_) return;
        backend_->notify_frames(nullptr);
        listening_ = false;
    }

    // Moves frames from the backend into posted receive buffers.
    void receive() {
        if (!transport_ || !transport_->driver_ok()) {
            stop_listening(); // a backend with frames nobody takes would spin the event loop
            return;
        }
        auto& q = transport_->queue(kReceive);
        bool any = false;
        for (unsigned i = 0; i < kReceiveBatch; ++i) {
            if (pending_ == 0) {
                size_t got = backend_->receive({frame_.data() + kNetHeaderSize, kFrameMax});
                if (got == 0) break;
                pending_ = kNetHeaderSize + got;
            }
            auto chain = q.pop(transport_->ram());
            if (!chain) {
                // No buffer: keep the frame and leave the rest in the backend until the guest
                // posts some.
                if (!q.broken()) stop_listening();
                break;
            }
            if (virtio::writable_length(chain->buffers) < pending_) {
                // Buffers too small for this frame: drop it, keep the buffer for the next.
                q.unpop();
                pending_ = 0;
                continue;
            }
            // No offloads: a zero header, except that without VIRTIO_NET_F_MRG_RXBUF every frame
            // fills exactly one buffer.
            std::fill(frame_.begin(), frame_.begin() + kNetHeaderSize, 0);
            frame_[10] = 1;
            size_t n =
                virtio::write_to(transport_->ram(), chain->buffers, 0, frame_.data(), pending_);
            q.push(transport_->ram(), chain->head, static_cast<uint32_t>(n));
            pending_ = 0;
            any = true;
        }
        if (any || q.broken()) transport_->used(kReceive);
    }

    std::unique_ptr<Backend> backend_;
    Mac mac_;
    std::vector<uint8_t> frame_; // header and the frame not yet delivered
    size_t pending_ = 0;         // their length; 0 when none
    bool listening_ = false;
    virtio::Transport* transport_ = nullptr;
};

std::unique_ptr<Backend> open_backend(const model::Device& device, vmm::Vm& vm,
                                      const Config& config) {
    if (config.user) return make_user_backend(device.name, *config.user, vm);
    if (config.has_user()) // a machine made in code skips the checks that report these
        throw std::runtime_error(fmt::format("virtio-net {}: user{}: {}", device.name,
                                             config.user_problems[0].pointer,
                                             config.user_problems[0].message));
    return make_fd_backend(vm.events, open_tap(device.name, config.tap));
}
} // namespace

std::unique_ptr<vmm::Device> make_device(const model::Device& device, vmm::Vm& vm,
                                         std::unique_ptr<Backend> backend, Mac mac) {
    return virtio::make_mmio_device(device, vm, config_of<Config>(device),
                                    std::make_unique<Net>(std::move(backend), mac));
}

std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm) {
    const Config& config = config_of<Config>(device);
    Mac mac = mac_address(config.mac, vm.machine.name, device.name);
    return make_device(device, vm, open_backend(device, vm, config), mac);
}

} // namespace vmc::devices::virtio_net
