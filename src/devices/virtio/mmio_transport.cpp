// virtio-mmio: registers are little-endian (virtio spec 4.2.2). The bus
// hands over values as a big-endian load sees the bytes, so every access
// converts between the register's little-endian bytes and that value here.
#include "devices/virtio/mmio_transport.hpp"

#include <algorithm>

namespace vmc::devices::virtio {

namespace {
constexpr uint32_t kMagic = 0x74726976; // "virt"
constexpr uint32_t kVendor = 0x434d5600; // "\0VMC"

// The little-endian bytes of `value`, read as the bus reports them.
uint64_t to_bus(uint64_t value, unsigned size) {
    uint64_t out = 0;
    for (unsigned i = 0; i < size; ++i) out = (out << 8) | ((value >> (8 * i)) & 0xff);
    return out;
}
uint64_t from_bus(uint64_t value, unsigned size) { return to_bus(value, size); } // the swap is its own inverse
} // namespace

Transport::Transport(std::string name, std::unique_ptr<VirtioDevice> device, vmm::GuestRam& ram,
                     vmm::IrqLine irq, uint32_t queue_size_max)
    : vmm::Device(std::move(name)), device_(std::move(device)), ram_(ram), irq_(irq),
      queue_size_max_(std::clamp<uint32_t>(queue_size_max, 1, 32768)), queues_(device_->queue_count()) {
    device_->attach(*this);
}

void Transport::reset() { device_reset(); }

void Transport::device_reset() {
    for (auto& q : queues_) q.reset();
    device_features_sel_ = driver_features_sel_ = queue_sel_ = 0;
    driver_features_ = 0;
    status_ = 0;
    interrupt_status_ = 0;
    irq_.set(false);
    device_->reset();
}

void Transport::set_interrupt(uint32_t bits) {
    interrupt_status_ |= bits;
    irq_.set(interrupt_status_ != 0);
}

void Transport::used(unsigned queue) {
    if (queue < queues_.size() && queues_[queue].broken && !(status_ & kNeedsReset)) {
        status_ |= kNeedsReset;
        set_interrupt(2); // configuration change: the driver sees DEVICE_NEEDS_RESET
        return;
    }
    set_interrupt(1);
}

uint64_t Transport::mmio_read(uint64_t offset, unsigned size) {
    if (offset >= 0x100) {
        std::vector<uint8_t> cfg = device_->config();
        uint64_t v = 0;
        for (unsigned i = 0; i < size; ++i) {
            uint64_t at = offset - 0x100 + i;
            v |= uint64_t{at < cfg.size() ? cfg[at] : uint8_t{0}} << (8 * i);
        }
        return to_bus(v, size);
    }
    if (size != 4 || (offset & 3)) return 0;
    return to_bus(read_register(offset), 4);
}

void Transport::mmio_write(uint64_t offset, uint64_t value, unsigned size) {
    if (offset >= 0x100 || size != 4 || (offset & 3)) return; // config space is read-only here
    write_register(offset, static_cast<uint32_t>(from_bus(value, 4)));
}

uint32_t Transport::read_register(uint64_t offset) {
    uint64_t features = device_->features() | kFeatureVersion1;
    Virtqueue* q = queue_sel_ < queues_.size() ? &queues_[queue_sel_] : nullptr;
    switch (offset) {
    case 0x000: return kMagic;
    case 0x004: return 2;
    case 0x008: return device_->device_id();
    case 0x00c: return kVendor;
    case 0x010: return device_features_sel_ < 2 ? static_cast<uint32_t>(features >> (32 * device_features_sel_)) : 0;
    case 0x034: return q ? queue_size_max_ : 0;
    case 0x044: return q && q->ready;
    case 0x060: return interrupt_status_;
    case 0x070: return status_;
    case 0x0fc: return config_generation_;
    default: return 0;
    }
}

void Transport::write_register(uint64_t offset, uint32_t value) {
    Virtqueue* q = queue_sel_ < queues_.size() ? &queues_[queue_sel_] : nullptr;
    auto set_low = [](uint64_t& field, uint32_t v) { field = (field & ~0xffffffffull) | v; };
    auto set_high = [](uint64_t& field, uint32_t v) { field = (field & 0xffffffffull) | (uint64_t{v} << 32); };
    switch (offset) {
    case 0x014: device_features_sel_ = value; break;
    case 0x020:
        if (driver_features_sel_ < 2 && !(status_ & kFeaturesOk)) {
            uint64_t mask = 0xffffffffull << (32 * driver_features_sel_);
            driver_features_ = (driver_features_ & ~mask) | (uint64_t{value} << (32 * driver_features_sel_));
        }
        break;
    case 0x024: driver_features_sel_ = value; break;
    case 0x030: queue_sel_ = value; break;
    case 0x038:
        // A queue size must be a power of 2 no larger than the maximum.
        if (q && !q->ready) q->size = (value && value <= queue_size_max_ && !(value & (value - 1))) ? value : 0;
        break;
    case 0x044:
        if (q) q->ready = value & 1;
        break;
    case 0x050:
        if (value < queues_.size() && (status_ & kDriverOk) && !(status_ & kNeedsReset)) {
            device_->notify(*this, value);
            if (queues_[value].broken) used(value);
        }
        break;
    case 0x064:
        interrupt_status_ &= ~value;
        irq_.set(interrupt_status_ != 0);
        break;
    case 0x070: {
        if (value == 0) {
            device_reset();
            break;
        }
        if ((value & kFeaturesOk) && !(status_ & kFeaturesOk)) {
            uint64_t offered = device_->features() | kFeatureVersion1;
            // A legacy driver, or one accepting what was not offered, does not get FEATURES_OK.
            if (!(driver_features_ & kFeatureVersion1) || (driver_features_ & ~offered)) value &= ~kFeaturesOk;
        }
        status_ = (value & 0xff) | (status_ & kNeedsReset);
        break;
    }
    case 0x080: if (q) set_low(q->desc, value); break;
    case 0x084: if (q) set_high(q->desc, value); break;
    case 0x090: if (q) set_low(q->driver, value); break;
    case 0x094: if (q) set_high(q->driver, value); break;
    case 0x0a0: if (q) set_low(q->device, value); break;
    case 0x0a4: if (q) set_high(q->device, value); break;
    default: break;
    }
}

} // namespace vmc::devices::virtio

#include "devices/virtio/virtio_config.hpp"
#include "vmm/vm.hpp"

namespace vmc::devices::virtio {

std::unique_ptr<vmm::Device> make_mmio_device(const model::Device& model_device, vmm::Vm& vm,
                                              std::unique_ptr<VirtioDevice> device) {
    MmioConfig config = parse_mmio(model_device);
    return std::make_unique<Transport>(model_device.name, std::move(device), vm.ram, vm.irq_line(model_device),
                                       config.queue_size_max);
}

} // namespace vmc::devices::virtio
