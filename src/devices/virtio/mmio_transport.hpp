// virtio-mmio transport, virtio 1.x register layout (version 2).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "devices/virtio/virtio_device.hpp"
#include "vmm/device.hpp"
#include "vmm/guest_ram.hpp"
#include "vmm/irq.hpp"

namespace vmc::devices::virtio {

class Transport final : public vmm::Device {
public:
    Transport(std::string name, std::unique_ptr<VirtioDevice> device, vmm::GuestRam& ram, vmm::IrqLine irq,
              uint32_t queue_size_max);

    uint64_t mmio_read(uint64_t offset, unsigned size) override;
    void mmio_write(uint64_t offset, uint64_t value, unsigned size) override;
    void reset() override;

    vmm::GuestRam& ram() { return ram_; }
    Virtqueue& queue(unsigned n) { return queues_[n]; }
    bool driver_ok() const { return status_ & kDriverOk; }
    // The device used buffers on a queue: raise the used-buffer interrupt
    // (and mark the device broken when the queue is).
    void used(unsigned queue);
    VirtioDevice& device() { return *device_; }

private:
    static constexpr uint32_t kDriverOk = 4, kFeaturesOk = 8, kNeedsReset = 0x40;
    uint32_t read_register(uint64_t offset);
    void write_register(uint64_t offset, uint32_t value);
    void set_interrupt(uint32_t bits);
    void device_reset();

    std::unique_ptr<VirtioDevice> device_;
    vmm::GuestRam& ram_;
    vmm::IrqLine irq_;
    uint32_t queue_size_max_;
    std::vector<Virtqueue> queues_;
    uint32_t device_features_sel_ = 0, driver_features_sel_ = 0, queue_sel_ = 0;
    uint64_t driver_features_ = 0;
    uint32_t status_ = 0, interrupt_status_ = 0, config_generation_ = 0;
};

} // namespace vmc::devices::virtio

namespace vmc::model {
struct Device;
}
namespace vmc::vmm {
class Vm;
}

namespace vmc::devices::virtio {
// The runtime device of a virtio-mmio kind: `device` behind a transport wired to the model's irq.
std::unique_ptr<vmm::Device> make_mmio_device(const model::Device& model_device, vmm::Vm& vm,
                                              std::unique_ptr<VirtioDevice> device);
} // namespace vmc::devices::virtio
