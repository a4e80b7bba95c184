// virtio-pci transport, virtio 1.x "modern" layout (4.1): a PCI function
// with vendor-specific capabilities that point into BAR 4 (16 KiB, 64-bit,
// prefetchable) at the common configuration (+0x0000), the ISR (+0x1000),
// the device configuration (+0x2000) and the notification area (+0x3000, one
// 4-byte slot per queue); and an MSI-X capability whose table and PBA sit in
// BAR 1 (4 KiB). The same layout as QEMU's virtio-pci devices, with the
// modern device ids (0x1040 + device type).
//
// Interrupts: with MSI-X enabled, a used buffer sends the queue's vector and a
// configuration change the config vector (NO_VECTOR: none); otherwise the ISR
// bits drive INTA, and reading the ISR clears them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "devices/pci/function.hpp"
#include "devices/virtio/transport.hpp"
#include "vmm/device.hpp"

namespace vmc::devices::virtio::pci_layout {
constexpr unsigned kMsixBar = 1, kRegisterBar = 4;
constexpr uint64_t kRegisterBarSize = 0x4000, kMsixBarSize = 0x1000;
constexpr uint64_t kCommon = 0x0000, kIsr = 0x1000, kDeviceConfig = 0x2000, kNotify = 0x3000;
constexpr uint64_t kRegionSize = 0x1000;
constexpr uint32_t kNotifyMultiplier = 4;
constexpr uint64_t kPba = 0x800;
constexpr uint16_t kNoVector = 0xffff;
// Common configuration fields (virtio 1.x 4.1.4.3).
namespace common {
constexpr unsigned kDeviceFeatureSelect = 0x00, kDeviceFeature = 0x04, kDriverFeatureSelect = 0x08,
                   kDriverFeature = 0x0c, kMsixConfig = 0x10, kNumQueues = 0x12,
                   kDeviceStatus = 0x14, kConfigGeneration = 0x15, kQueueSelect = 0x16,
                   kQueueSize = 0x18, kQueueMsixVector = 0x1a, kQueueEnable = 0x1c,
                   kQueueNotifyOff = 0x1e, kQueueDesc = 0x20, kQueueDriver = 0x28,
                   kQueueDevice = 0x30, kSize = 0x38;
}
} // namespace vmc::devices::virtio::pci_layout

namespace vmc::devices::virtio {

class PciTransport final : public vmm::Device, public Transport, public pci::Function {
public:
    PciTransport(std::string name, std::unique_ptr<VirtioDevice> device, vmm::GuestRam& ram,
                 uint32_t queue_size_max);

    // VM reset: virtio state, configuration space and the MSI-X table.
    void reset() override;
    void reset_function() override;
    void config_write(unsigned offset, uint32_t value, unsigned size) override;
    uint64_t bar_read(unsigned bar, uint64_t offset, unsigned size) override;
    void bar_write(unsigned bar, uint64_t offset, uint64_t value, unsigned size) override;

    unsigned msix_capability() const { return msix_cap_; }
    unsigned vectors() const { return static_cast<unsigned>(table_.size()); }

private:
    struct MsixEntry {
        uint32_t address_low = 0, address_high = 0, data = 0, control = 1; // masked
        bool pending = false;
    };
    void signal(uint32_t cause, unsigned queue) override;
    void transport_reset() override;
    std::vector<uint8_t> common_image();
    void write_common(unsigned offset, uint64_t value, unsigned size);
    uint64_t read_msix(uint64_t offset, unsigned size);
    void write_msix(uint64_t offset, uint64_t value, unsigned size);
    bool msix_enabled() const;
    bool msix_masked() const;
    void send(uint16_t vector);
    void deliver_pending();
    uint16_t checked_vector(uint64_t value) const;

    unsigned msix_cap_ = 0;
    uint32_t device_features_sel_ = 0, driver_features_sel_ = 0;
    uint16_t queue_sel_ = 0;
    uint16_t config_vector_ = pci_layout::kNoVector;
    std::vector<uint16_t> queue_vectors_;
    std::vector<MsixEntry> table_;
};

} // namespace vmc::devices::virtio
