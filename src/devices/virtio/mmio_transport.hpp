// virtio-mmio transport, virtio 1.x register layout (version 2).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "devices/virtio/transport.hpp"
#include "vmm/device.hpp"
#include "vmm/irq.hpp"

namespace vmc::devices::virtio {

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

class MmioTransport final : public vmm::Device, public Transport {
public:
    MmioTransport(std::string name, std::unique_ptr<VirtioDevice> device, vmm::GuestRam& ram,
                  vmm::IrqLine irq, uint32_t queue_size_max);

    uint64_t mmio_read(uint64_t offset, unsigned size) override;
    void mmio_write(uint64_t offset, uint64_t value, unsigned size) override;
    void reset() override { device_reset(); }

private:
    void signal(uint32_t cause, unsigned queue) override;
    void transport_reset() override;
    uint32_t read_register(uint64_t offset);
    void write_register(uint64_t offset, uint32_t value);

    vmm::IrqLine irq_;
    uint32_t device_features_sel_ = 0, driver_features_sel_ = 0, queue_sel_ = 0;
};

} // namespace vmc::devices::virtio
