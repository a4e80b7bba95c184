// virtio-mmio: registers and config space are little-endian (virtio spec
// 4.2.2). The bus hands over values as a big-endian load sees the bytes, so
// every access converts between the little-endian bytes and that value here
// (helpers in transport.hpp), and nowhere else.
#include "devices/virtio/mmio_transport.hpp"

namespace vmc::devices::virtio {

namespace {
constexpr uint32_t kMagic = 0x74726976;  // "virt"
constexpr uint32_t kVendor = 0x434d5600; // "\0VMC"
} // namespace

MmioTransport::MmioTransport(std::string name, std::unique_ptr<VirtioDevice> device,
                             vmm::GuestRam& ram, vmm::IrqLine irq, uint32_t queue_size_max)
    : vmm::Device(name), Transport(name, std::move(device), ram, queue_size_max), irq_(irq) {}

void MmioTransport::transport_reset() {
    device_features_sel_ = driver_features_sel_ = queue_sel_ = 0;
    irq_.set(false);
}

void MmioTransport::signal(uint32_t cause, unsigned /*queue*/) {
    interrupt_status_ |= cause;
    irq_.set(interrupt_status_ != 0);
}

uint64_t MmioTransport::mmio_read(uint64_t offset, unsigned size) {
    if (size == 0 || size > 8) return 0;
    if (offset >= reg::kConfig)
        return read_le_window(device().config(), offset - reg::kConfig, size);
    // Registers are 32-bit; a narrower access inside one sees its bytes.
    unsigned lane = offset & 3;
    if (lane + size > 4) return 0;
    return le_bytes_to_bus(read_register(offset - lane), lane, size);
}

void MmioTransport::mmio_write(uint64_t offset, uint64_t value, unsigned size) {
    if (size == 0 || size > 8) return;
    if (offset >= reg::kConfig) {
        if (status() & status::kNeedsReset) return;
        device().write_config(static_cast<uint32_t>(offset - reg::kConfig),
                              bus_to_bytes(value, size));
        return;
    }
    // The spec allows only aligned 32-bit register writes; others are dropped.
    if (size != 4 || (offset & 3)) return;
    write_register(offset, static_cast<uint32_t>(le_bytes_to_bus(value, 0, 4)));
}

uint32_t MmioTransport::read_register(uint64_t offset) {
    Virtqueue* q = queue_sel_ < queue_count() ? &queue(queue_sel_) : nullptr;
    switch (offset) {
    case reg::kMagic:
        return kMagic;
    case reg::kVersion:
        return 2;
    case reg::kDeviceId:
        return device().device_id();
    case reg::kVendorId:
        return kVendor;
    case reg::kDeviceFeatures:
        return device_features_word(device_features_sel_);
    case reg::kQueueNumMax:
        return q ? queue_size_max() : 0;
    case reg::kQueueReady:
        return q && q->ready;
    case reg::kInterruptStatus:
        return interrupt_status_;
    case reg::kStatus:
        return status();
    // No shared memory regions: a length of all ones says "absent".
    case reg::kShmLenLow:
    case reg::kShmLenHigh:
    case reg::kShmBaseLow:
    case reg::kShmBaseHigh:
        return 0xffffffff;
    case reg::kConfigGeneration:
        return config_generation();
    default:
        return 0;
    }
}

void MmioTransport::write_register(uint64_t offset, uint32_t value) {
    Virtqueue* q = queue_sel_ < queue_count() ? &queue(queue_sel_) : nullptr;
    // Queue layout registers only change while the queue is disabled (virtio 1.x 4.2.2.2).
    Virtqueue* idle = q && !q->ready ? q : nullptr;
    auto set_low = [](uint64_t& field, uint32_t v) { field = (field & ~0xffffffffull) | v; };
    auto set_high = [](uint64_t& field, uint32_t v) {
        field = (field & 0xffffffffull) | (uint64_t{v} << 32);
    };
    switch (offset) {
    case reg::kDeviceFeaturesSel:
        device_features_sel_ = value;
        break;
    case reg::kDriverFeatures:
        set_driver_features_word(driver_features_sel_, value);
        break;
    case reg::kDriverFeaturesSel:
        driver_features_sel_ = value;
        break;
    case reg::kQueueSel:
        queue_sel_ = value;
        break;
    case reg::kQueueNum:
        if (idle) idle->size = value;
        break;
    case reg::kQueueReady:
        if (!q || (status() & status::kNeedsReset)) break;
        if (!(value & 1))
            q->disable();
        else
            enable_queue(queue_sel_);
        break;
    case reg::kQueueNotify:
        kick(value);
        break;
    case reg::kInterruptAck:
        interrupt_status_ &= ~value;
        irq_.set(interrupt_status_ != 0);
        break;
    case reg::kStatus:
        write_status(value);
        break;
    case reg::kQueueDescLow:
        if (idle) set_low(idle->desc, value);
        break;
    case reg::kQueueDescHigh:
        if (idle) set_high(idle->desc, value);
        break;
    case reg::kQueueDriverLow:
        if (idle) set_low(idle->driver, value);
        break;
    case reg::kQueueDriverHigh:
        if (idle) set_high(idle->driver, value);
        break;
    case reg::kQueueDeviceLow:
        if (idle) set_low(idle->device, value);
        break;
    case reg::kQueueDeviceHigh:
        if (idle) set_high(idle->device, value);
        break;
    default:
        break;
    }
}

} // namespace vmc::devices::virtio
