// What every virtio transport shares: the device behind it, its queues,
// feature negotiation, the status state machine, DEVICE_NEEDS_RESET and the
// interrupt causes. virtio-mmio and virtio-pci differ only in how the driver
// reaches these (registers, capabilities) and how an interrupt is delivered,
// so a device type is written once and runs behind either.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "devices/virtio/virtio_device.hpp"
#include "vmm/guest_ram.hpp"

namespace vmc::devices::virtio {

// Features the transport itself implements for every device type.
constexpr uint64_t kFeatureIndirectDesc = 1ull << 28;

// Device status bits (virtio 1.x, 2.1).
namespace status {
constexpr uint32_t kAcknowledge = 1, kDriver = 2, kDriverOk = 4, kFeaturesOk = 8,
                   kNeedsReset = 0x40, kFailed = 0x80;
}

// Interrupt causes (virtio-mmio InterruptStatus, virtio-pci ISR).
constexpr uint32_t kInterruptUsedBuffer = 1, kInterruptConfig = 2;

class Transport {
public:
    // `queue_size_max` is rounded down to a power of 2 in [1, 32768].
    Transport(std::string label, std::unique_ptr<VirtioDevice> device, vmm::GuestRam& ram,
              uint32_t queue_size_max);
    virtual ~Transport() = default;
    Transport(const Transport&) = delete;
    Transport& operator=(const Transport&) = delete;

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

protected:
    // Delivers an interrupt of `cause` (kInterruptUsedBuffer for `queue`, or
    // kInterruptConfig) the way the transport does it.
    virtual void signal(uint32_t cause, unsigned queue) = 0;
    // Transport-specific state back to its reset values (after the common state).
    virtual void transport_reset() {}

    // Feature words as the driver selects them (0: bits 0-31, 1: bits 32-63).
    uint32_t device_features_word(uint32_t select) const;
    void set_driver_features_word(uint32_t select, uint32_t value);
    void write_status(uint32_t value);
    // QueueReady/queue_enable 1 on `queue` (checks the rings; fails the device if bad).
    void enable_queue(unsigned queue);
    // The driver kicked `queue`.
    void kick(unsigned queue);
    void device_reset();
    uint32_t queue_size_max() const { return queue_size_max_; }
    uint32_t config_generation() const { return config_generation_; }
    uint64_t offered_features() const;

    uint32_t interrupt_status_ = 0;

private:
    std::string label_;
    std::unique_ptr<VirtioDevice> device_;
    vmm::GuestRam& ram_;
    uint32_t queue_size_max_;
    std::vector<Virtqueue> queues_;
    uint64_t driver_features_ = 0;
    uint32_t status_ = 0, config_generation_ = 0;
    std::string failure_;
    bool failure_reported_ = false;
};

// Little-endian registers on the big-endian bus: the bus hands over values
// as a big-endian load sees the bytes (vmm/mmio.hpp).
// The bytes [first, first+size) of a little-endian `value`, as such a load sees them.
uint64_t le_bytes_to_bus(uint64_t value, unsigned first, unsigned size);
// The guest-order bytes of a bus value of `size` bytes.
std::vector<uint8_t> bus_to_bytes(uint64_t value, unsigned size);
// A read of `size` bytes at `offset` of little-endian `bytes` (zeros past the end).
uint64_t read_le_window(const std::vector<uint8_t>& bytes, uint64_t offset, unsigned size);

} // namespace vmc::devices::virtio
