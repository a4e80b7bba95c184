// virtio-net: one receive and one transmit queue bridged to a host tap.
// Frames from the tap arrive through the VM's event loop; when the guest has
// no receive buffer posted, the device stops reading, so the tap's own queue
// (not the VMM) holds the backlog. Transmit writes straight to the tap.
#include <cerrno>
#include <unistd.h>
#include <vector>

#include "devices/virtio/make_device.hpp"
#include "devices/virtio/transport.hpp"
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
constexpr size_t kFrameMax = kNetHeaderSize + 65535 + 18;
// Frames moved per event-loop wake-up, so one busy tap cannot starve the VM.
constexpr unsigned kReceiveBatch = 64;

class Net final : public virtio::VirtioDevice {
public:
    Net(vmm::EventLoop& events, int fd, Mac mac)
        : events_(events), fd_(fd), mac_(mac), frame_(kFrameMax) {}
    ~Net() override {
        stop_reading();
        ::close(fd_);
    }

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
    void activate(virtio::Transport&) override { start_reading(); }
    void reset() override {
        stop_reading();
        pending_ = 0;
    }

    void notify(virtio::Transport& t, unsigned queue) override {
        if (queue == kReceive) {
            start_reading(); // new buffers: read again (receive() stops if they run out)
            receive();
            return;
        }
        if (queue != kTransmit) return;
        bool any = false;
        while (auto chain = t.queue(kTransmit).pop(t.ram())) {
            size_t n = virtio::readable_length(chain->buffers);
            // A frame without its header, or larger than any frame can be, is dropped.
            if (n > kNetHeaderSize && n <= kFrameMax) {
                std::vector<uint8_t> bytes(n);
                n = virtio::read_from(t.ram(), chain->buffers, 0, bytes.data(), n);
                // A full tap queue drops the frame, as a congested link would.
                [[maybe_unused]] ssize_t sent = ::write(fd_, bytes.data(), n);
            }
            t.queue(kTransmit).push(t.ram(), chain->head, 0);
            any = true;
        }
        if (any) t.used(kTransmit);
    }

private:
    void start_reading() {
        if (reading_) return;
        events_.add_reader(fd_, [this] { receive(); });
        reading_ = true;
    }
    void stop_reading() {
        if (!reading_) return;
        events_.remove(fd_);
        reading_ = false;
    }

    // Moves frames from the tap into posted receive buffers.
    void receive() {
        if (!transport_ || !transport_->driver_ok()) {
            stop_reading(); // a readable tap nobody drains would spin the event loop
            return;
        }
        auto& q = transport_->queue(kReceive);
        bool any = false;
        for (unsigned i = 0; i < kReceiveBatch; ++i) {
            if (pending_ == 0) {
                ssize_t got = ::read(fd_, frame_.data(), frame_.size());
                if (got <= static_cast<ssize_t>(kNetHeaderSize))
                    break; // nothing (EAGAIN), or a runt
                pending_ = static_cast<size_t>(got);
            }
            auto chain = q.pop(transport_->ram());
            if (!chain) {
                // No buffer: keep the frame and leave the rest in the tap until the guest posts
                // some.
                if (!q.broken()) stop_reading();
                break;
            }
            if (virtio::writable_length(chain->buffers) < pending_) {
                // Buffers too small for this frame: drop it, keep the buffer for the next.
                q.unpop();
                pending_ = 0;
                continue;
            }
            // Without VIRTIO_NET_F_MRG_RXBUF every frame fills exactly one buffer.
            frame_[10] = 1;
            frame_[11] = 0;
            size_t n =
                virtio::write_to(transport_->ram(), chain->buffers, 0, frame_.data(), pending_);
            q.push(transport_->ram(), chain->head, static_cast<uint32_t>(n));
            pending_ = 0;
            any = true;
        }
        if (any || q.broken()) transport_->used(kReceive);
    }

    vmm::EventLoop& events_;
    int fd_;
    Mac mac_;
    std::vector<uint8_t> frame_; // the frame read from the tap and not yet delivered
    size_t pending_ = 0;         // its length; 0 when none
    bool reading_ = false;
    virtio::Transport* transport_ = nullptr;
};
} // namespace

std::unique_ptr<vmm::Device> make_device(const model::Device& device, vmm::Vm& vm, int frame_fd,
                                         Mac mac) {
    return virtio::make_device(device, vm, config_of<Config>(device),
                               std::make_unique<Net>(vm.events, frame_fd, mac));
}

std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm) {
    const Config& config = config_of<Config>(device);
    Mac mac = mac_address(config.mac, vm.machine.name, device.name);
    return make_device(device, vm, open_tap(device.name, config.tap), mac);
}

} // namespace vmc::devices::virtio_net
