// virtio-mmio transport, virtio 1.x register layout (version 2).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "devices/virtio/virtio_device.hpp"
#include "vmm/device.hpp"
#include "vmm/guest_ram.hpp"
#include "vmm/irq.hpp"

namespace vmc::devices::virtio {

// Features the transport itself implements for every device type.
constexpr uint64_t kFeatureIndirectDesc = 1ull << 28;

// Register offsets (virtio 1.x, 4.2.2).
namespace reg {
constexpr uint64_t kMagic = 0x000, kVersion = 0x004, kDeviceId = 0x008, kVendorId = 0x00c;
constexpr uint64_t kDeviceFeatures = 0x010, kDeviceFeaturesSel = 0x014;
constexpr uint64_t kDriverFeatures = 0x020, kDriverFeaturesSel = 0x024;
constexpr uint64_t kQueueSel = 0x030, kQueueNumMax = 0x034, kQueueNum = 0x038, kQueueReady = 0x044;
constexpr uint64_t kQueueNotify = 0x050, kInterruptStatus = 0x060, kInterruptAck = 0x064,
                   kStatus = 0x070;
constexpr uint64_t kQueueDescLow = 0x080, kQueueDescHigh = 0x084;
constexpr uint64_t kQueueDriverLow = 0x090, kQueueDriverHigh = 0x094;
constexpr uint64_t kQueueDeviceLow = 0x0a0, kQueueDeviceHigh = 0x0a4;
constexpr uint64_t kShmSel = 0x0ac, kShmLenLow = 0x0b0, kShmLenHigh = 0x0b4;
constexpr uint64_t kShmBaseLow = 0x0b8, kShmBaseHigh = 0x0bc;
constexpr uint64_t kConfigGeneration = 0x0fc, kConfig = 0x100;
} // namespace reg

// Device status bits (virtio 1.x, 2.1).
namespace status {
constexpr uint32_t kAcknowledge = 1, kDriver = 2, kDriverOk = 4, kFeaturesOk = 8,
                   kNeedsReset = 0x40, kFailed = 0x80;
}

// InterruptStatus bits.
constexpr uint32_t kInterruptUsedBuffer = 1, kInterruptConfig = 2;

class Transport final : public vmm::Device {
public:
    // `queue_size_max` is rounded down to a power of 2 in [1, 32768].
    Transport(std::string name, std::unique_ptr<VirtioDevice> device, vmm::GuestRam& ram,
              vmm::IrqLine irq, uint32_t queue_size_max);

    uint64_t mmio_read(uint64_t offset, unsigned size) override;
    void mmio_write(uint64_t offset, uint64_t value, unsigned size) override;
    void reset() override;

    vmm::GuestRam& ram() { return ram_; }
    unsigned queue_count() const { return static_cast<unsigned>(queues_.size()); }
    Virtqueue& queue(unsigned n) { return queues_[n]; }
    bool driver_ok() const {
        return (status_ & status::kDriverOk) && !(status_ & status::kNeedsReset);
    }
    uint64_t driver_features() const { return driver_features_; }
    uint32_t status() const { return status_; }
    // The device used buffers on a queue: raise the used-buffer interrupt,
    // or, when the queue turned out to be broken, mark the device broken.
    void used(unsigned queue);
    // The device cannot go on (bad ring, malformed request): DEVICE_NEEDS_RESET
    // and a configuration interrupt, as virtio 1.x 2.1.2 describes; nothing
    // is processed until the driver resets the device.
    void fail(const std::string& why);
    // Config space changed behind the driver's back: new generation and interrupt.
    void config_changed();
    // Why the device last went to DEVICE_NEEDS_RESET (empty if it never did).
    const std::string& failure() const { return failure_; }
    VirtioDevice& device() { return *device_; }

private:
    uint32_t read_register(uint64_t offset);
    void write_register(uint64_t offset, uint32_t value);
    void write_status(uint32_t value);
    void set_interrupt(uint32_t bits);
    void device_reset();
    uint64_t offered_features() const;

    std::unique_ptr<VirtioDevice> device_;
    vmm::GuestRam& ram_;
    vmm::IrqLine irq_;
    uint32_t queue_size_max_;
    std::vector<Virtqueue> queues_;
    uint32_t device_features_sel_ = 0, driver_features_sel_ = 0, queue_sel_ = 0;
    uint64_t driver_features_ = 0;
    uint32_t status_ = 0, interrupt_status_ = 0, config_generation_ = 0;
    std::string failure_;
    bool failure_reported_ = false;
};

} // namespace vmc::devices::virtio

namespace vmc::model {
struct Device;
}
namespace vmc::vmm {
class Vm;
}

namespace vmc::devices::virtio {
struct MmioConfig;
// The runtime device of a virtio-mmio kind: `device` behind a transport wired to the model's irq.
std::unique_ptr<vmm::Device> make_mmio_device(const model::Device& model_device, vmm::Vm& vm,
                                              const MmioConfig& config,
                                              std::unique_ptr<VirtioDevice> device);
} // namespace vmc::devices::virtio
