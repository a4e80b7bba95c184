// virtio-mmio: registers and config space are little-endian (virtio spec
// 4.2.2). The bus hands over values as a big-endian load sees the bytes, so
// every access converts between the little-endian bytes and that value here,
// and nowhere else.
#include "devices/virtio/mmio_transport.hpp"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <fmt/format.h>

#include "devices/virtio/virtio_config.hpp"
#include "vmm/vm.hpp"

namespace vmc::devices::virtio {

namespace {
constexpr uint32_t kMagic = 0x74726976;     // "virt"
constexpr uint32_t kVendor = 0x434d5600;    // "\0VMC"
constexpr uint32_t kQueueSizeLimit = 32768; // the largest split ring virtio allows

// The bytes [first, first+size) of a little-endian `value`, packed as a
// big-endian load of those bytes would see them.
uint64_t le_bytes_to_bus(uint64_t value, unsigned first, unsigned size) {
    uint64_t out = 0;
    for (unsigned i = 0; i < size; ++i)
        out = (out << 8) | ((value >> (8 * (first + i))) & 0xff);
    return out;
}

// The guest-order bytes of a bus value of `size` bytes.
std::vector<uint8_t> bus_to_bytes(uint64_t value, unsigned size) {
    std::vector<uint8_t> bytes(size);
    for (unsigned i = 0; i < size; ++i)
        bytes[i] = static_cast<uint8_t>(value >> (8 * (size - 1 - i)));
    return bytes;
}
} // namespace

Transport::Transport(std::string name, std::unique_ptr<VirtioDevice> device, vmm::GuestRam& ram,
                     vmm::IrqLine irq, uint32_t queue_size_max)
    : vmm::Device(std::move(name)), device_(std::move(device)), ram_(ram), irq_(irq),
      queue_size_max_(std::bit_floor(std::clamp<uint32_t>(queue_size_max, 1, kQueueSizeLimit))),
      queues_(device_->queue_count()) {
    device_->attach(*this);
}

void Transport::reset() {
    device_reset();
}

void Transport::device_reset() {
    for (auto& q : queues_)
        q.reset();
    device_features_sel_ = driver_features_sel_ = queue_sel_ = 0;
    driver_features_ = 0;
    status_ = 0;
    interrupt_status_ = 0;
    irq_.set(false);
    device_->reset();
}

uint64_t Transport::offered_features() const {
    return device_->features() | kFeatureVersion1 | kFeatureIndirectDesc;
}

void Transport::set_interrupt(uint32_t bits) {
    interrupt_status_ |= bits;
    irq_.set(interrupt_status_ != 0);
}

void Transport::fail(const std::string& why) {
    if (status_ & status::kNeedsReset) return;
    failure_ = why;
    // Said once per device: a guest that keeps breaking it cannot flood the log.
    if (!failure_reported_) {
        fmt::print(stderr, "vmcompose: {}: guest driver error, device needs reset: {}\n", name(),
                   why);
        failure_reported_ = true;
    }
    status_ |= status::kNeedsReset;
    set_interrupt(kInterruptConfig);
}

void Transport::config_changed() {
    ++config_generation_;
    if (status_ & status::kDriverOk) set_interrupt(kInterruptConfig);
}

void Transport::used(unsigned queue) {
    if (queue < queues_.size() && queues_[queue].broken()) {
        fail(fmt::format("queue {}: {}", queue, queues_[queue].error()));
        return;
    }
    set_interrupt(kInterruptUsedBuffer);
}

uint64_t Transport::mmio_read(uint64_t offset, unsigned size) {
    if (size == 0 || size > 8) return 0;
    if (offset >= reg::kConfig) {
        std::vector<uint8_t> cfg = device_->config();
        uint64_t v = 0;
        for (unsigned i = 0; i < size; ++i) {
            uint64_t at = offset - reg::kConfig + i;
            v = (v << 8) | (at < cfg.size() ? cfg[at] : 0);
        }
        return v;
    }
    // Registers are 32-bit; a narrower access inside one sees its bytes.
    unsigned lane = offset & 3;
    if (lane + size > 4) return 0;
    return le_bytes_to_bus(read_register(offset - lane), lane, size);
}

void Transport::mmio_write(uint64_t offset, uint64_t value, unsigned size) {
    if (size == 0 || size > 8) return;
    if (offset >= reg::kConfig) {
        if (status_ & status::kNeedsReset) return;
        device_->write_config(static_cast<uint32_t>(offset - reg::kConfig),
                              bus_to_bytes(value, size));
        return;
    }
    // The spec allows only aligned 32-bit register writes; others are dropped.
    if (size != 4 || (offset & 3)) return;
    write_register(offset, static_cast<uint32_t>(le_bytes_to_bus(value, 0, 4)));
}

uint32_t Transport::read_register(uint64_t offset) {
    Virtqueue* q = queue_sel_ < queues_.size() ? &queues_[queue_sel_] : nullptr;
    switch (offset) {
    case reg::kMagic:
        return kMagic;
    case reg::kVersion:
        return 2;
    case reg::kDeviceId:
        return device_->device_id();
    case reg::kVendorId:
        return kVendor;
    case reg::kDeviceFeatures:
        return device_features_sel_ < 2
                   ? static_cast<uint32_t>(offered_features() >> (32 * device_features_sel_))
                   : 0;
    case reg::kQueueNumMax:
        return q ? queue_size_max_ : 0;
    case reg::kQueueReady:
        return q && q->ready;
    case reg::kInterruptStatus:
        return interrupt_status_;
    case reg::kStatus:
        return status_;
    // No shared memory regions: a length of all ones says "absent".
    case reg::kShmLenLow:
    case reg::kShmLenHigh:
    case reg::kShmBaseLow:
    case reg::kShmBaseHigh:
        return 0xffffffff;
    case reg::kConfigGeneration:
        return config_generation_;
    default:
        return 0;
    }
}

void Transport::write_register(uint64_t offset, uint32_t value) {
    Virtqueue* q = queue_sel_ < queues_.size() ? &queues_[queue_sel_] : nullptr;
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
        if (driver_features_sel_ < 2 && !(status_ & status::kFeaturesOk)) {
            uint64_t mask = 0xffffffffull << (32 * driver_features_sel_);
            driver_features_ =
                (driver_features_ & ~mask) | (uint64_t{value} << (32 * driver_features_sel_));
        }
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
        if (!q || (status_ & status::kNeedsReset)) break;
        if (!(value & 1)) {
            q->disable();
        } else if (!q->ready) {
            q->indirect = driver_features_ & kFeatureIndirectDesc;
            if (!q->enable(ram_, queue_size_max_))
                fail(fmt::format("queue {}: {}", queue_sel_, q->error()));
        }
        break;
    case reg::kQueueNotify:
        if (value < queues_.size() && driver_ok()) {
            device_->notify(*this, value);
            if (queues_[value].broken()) used(value);
        }
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

void Transport::write_status(uint32_t value) {
    if (value == 0) {
        device_reset();
        return;
    }
    value &= 0xff & ~status::kNeedsReset; // only the device sets DEVICE_NEEDS_RESET
    uint32_t rising = value & ~status_;
    if ((rising & status::kFeaturesOk)) {
        // A legacy driver, or one accepting what was not offered, does not get FEATURES_OK.
        if (!(driver_features_ & kFeatureVersion1) || (driver_features_ & ~offered_features())) {
            value &= ~status::kFeaturesOk;
            rising &= ~status::kFeaturesOk;
        }
    }
    status_ = value | (status_ & status::kNeedsReset);
    if (rising & status::kDriverOk) {
        if (!(status_ & status::kFeaturesOk)) {
            fail("DRIVER_OK without FEATURES_OK");
            return;
        }
        if (!(status_ & status::kNeedsReset)) device_->activate(*this);
    }
}

std::unique_ptr<vmm::Device> make_mmio_device(const model::Device& model_device, vmm::Vm& vm,
                                              const MmioConfig& config,
                                              std::unique_ptr<VirtioDevice> device) {
    return std::make_unique<Transport>(model_device.name, std::move(device), vm.ram,
                                       vm.irq_line(model_device), config.queue_size_max);
}

} // namespace vmc::devices::virtio
