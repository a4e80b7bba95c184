// virtio-console: one port (no multiport), bridged to a console backend.
// Host input waits, boundedly, until the guest posts receive buffers.
#include <deque>

#include "devices/virtio/make_device.hpp"
#include "devices/virtio/transport.hpp"
#include "devices/virtio_console/console_device.hpp"
#include "devices/virtio_console/kind.hpp"
#include "devices/virtio_console/virtio_console_config.hpp"
#include "vmm/vm.hpp"

namespace vmc::devices::virtio_console {

namespace {
constexpr unsigned kReceive = 0, kTransmit = 1;
constexpr size_t kInputLimit = 64 * 1024;

class Console final : public virtio::VirtioDevice {
public:
    explicit Console(std::unique_ptr<vmm::Console> backend) : backend_(std::move(backend)) {}
    uint32_t device_id() const override { return virtio::kDeviceConsole; }
    uint64_t features() const override { return 0; }
    unsigned queue_count() const override { return 2; }
    void attach(virtio::Transport& t) override {
        transport_ = &t;
        backend_->set_input_handler([this](std::span<const uint8_t> bytes) {
            for (uint8_t b : bytes)
                if (input_.size() < kInputLimit) input_.push_back(b);
            deliver();
        });
    }
    void reset() override { input_.clear(); }

    void notify(virtio::Transport& t, unsigned queue) override {
        if (queue == kReceive) return deliver();
        if (queue != kTransmit) return;
        bool any = false;
        while (auto chain = t.queue(kTransmit).pop(t.ram())) {
            size_t n = std::min<size_t>(virtio::readable_length(chain->buffers), 64 * 1024);
            std::vector<uint8_t> bytes(n);
            n = virtio::read_from(t.ram(), chain->buffers, 0, bytes.data(), n);
            backend_->write({bytes.data(), n});
            t.queue(kTransmit).push(t.ram(), chain->head, 0);
            any = true;
        }
        if (any) t.used(kTransmit);
    }

private:
    void deliver() {
        if (!transport_ || !transport_->driver_ok() || input_.empty()) return;
        auto& q = transport_->queue(kReceive);
        bool any = false;
        while (!input_.empty()) {
            auto chain = q.pop(transport_->ram());
            if (!chain) break;
            std::vector<uint8_t> bytes(
                input_.begin(),
                input_.begin() + static_cast<long>(std::min(
                                     input_.size(), virtio::writable_length(chain->buffers))));
            size_t n =
                virtio::write_to(transport_->ram(), chain->buffers, 0, bytes.data(), bytes.size());
            input_.erase(input_.begin(), input_.begin() + static_cast<long>(n));
            q.push(transport_->ram(), chain->head, static_cast<uint32_t>(n));
            any = true;
        }
        if (any || q.broken()) transport_->used(kReceive);
    }

    std::unique_ptr<vmm::Console> backend_;
    virtio::Transport* transport_ = nullptr;
    std::deque<uint8_t> input_;
};
} // namespace

std::unique_ptr<vmm::Device> make_device(const model::Device& device, vmm::Vm& vm,
                                         std::unique_ptr<vmm::Console> backend) {
    return virtio::make_device(device, vm, config_of<Config>(device),
                               std::make_unique<Console>(std::move(backend)));
}

std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm) {
    return make_device(device, vm, vm.open_console(config_of<Config>(device).console));
}

} // namespace vmc::devices::virtio_console
