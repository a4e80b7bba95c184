// What one virtio device type provides to the transport. The virtio-mmio
// transport owns registers, feature negotiation, status and interrupts;
// a device type only answers for its features, config space and queues.
// Nothing here knows about MMIO, so another transport could carry the same
// device types.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "devices/virtio/virtqueue.hpp"

namespace vmc::devices::virtio {

constexpr uint64_t kFeatureVersion1 = 1ull << 32;

// Device ids (virtio 1.x, section 5).
constexpr uint32_t kDeviceNet = 1, kDeviceBlock = 2, kDeviceConsole = 3, kDeviceEntropy = 4;

class Transport;

class VirtioDevice {
public:
    virtual ~VirtioDevice() = default;
    virtual uint32_t device_id() const = 0;
    virtual uint64_t features() const = 0; // without VIRTIO_F_VERSION_1, which the transport adds
    virtual unsigned queue_count() const = 0;
    // Config space as little-endian bytes (the transport serves reads from it).
    virtual std::vector<uint8_t> config() const { return {}; }
    // The driver wrote `bytes` at `offset` of the config space. Most fields
    // are read-only; the default ignores the write.
    virtual void write_config(uint32_t /*offset*/, std::span<const uint8_t> /*bytes*/) {}
    // The driver set DRIVER_OK: features are final (Transport::driver_features())
    // and the queues are set up. Must return quickly: the vCPU waits.
    virtual void activate(Transport&) {}
    // The driver made buffers available on `queue`.
    virtual void notify(Transport& transport, unsigned queue) = 0;
    // Status went to 0 (or the VM reset): drop in-flight state.
    virtual void reset() {}
    // Called once the transport exists (devices with host input keep it).
    virtual void attach(Transport&) {}
};

} // namespace vmc::devices::virtio
