// Registers behind the BARs are little-endian (virtio 1.x 4.1.3); the bus
// carries a big-endian load's view of the bytes, converted with the helpers
// the virtio-mmio transport uses.
#include "devices/virtio/pci_transport.hpp"

#include <algorithm>
#include <array>

namespace vmc::devices::virtio {

using namespace pci_layout;

namespace {
constexpr uint16_t kVendorRedHat = 0x1af4;
constexpr uint16_t kModernDeviceBase = 0x1040;
constexpr uint8_t kCapVendor = 0x09, kCapMsix = 0x11;
constexpr uint8_t kCfgCommon = 1, kCfgNotify = 2, kCfgIsr = 3, kCfgDevice = 4;
constexpr uint16_t kMsixEnable = 1 << 15, kMsixFunctionMask = 1 << 14;

uint32_t class_of(uint32_t device_id) {
    switch (device_id) {
    case kDeviceNet:
        return 0x020000; // Ethernet controller
    case kDeviceBlock:
        return 0x010000; // SCSI storage controller, as QEMU's virtio-blk
    case kDeviceConsole:
        return 0x078000; // other communication controller
    default:
        return 0x00ff00; // unclassified
    }
}

pci::Identity identity_of(const VirtioDevice& device) {
    uint32_t id = device.device_id();
    return pci::Identity{kVendorRedHat,
                         static_cast<uint16_t>(kModernDeviceBase + id),
                         class_of(id),
                         1, // revision 1: a modern (virtio 1.x only) device
                         kVendorRedHat,
                         static_cast<uint16_t>(kModernDeviceBase + id),
                         1}; // INTA
}

void put_le(std::vector<uint8_t>& bytes, unsigned offset, uint64_t value, unsigned size) {
    for (unsigned i = 0; i < size; ++i)
        bytes[offset + i] = static_cast<uint8_t>(value >> (8 * i));
}

// struct virtio_pci_cap after its id and next bytes (+ notify_off_multiplier).
std::vector<uint8_t> virtio_cap(uint8_t type, uint64_t offset, uint64_t length, bool notify) {
    std::vector<uint8_t> body(notify ? 18 : 14, 0);
    body[0] = notify ? 20 : 16; // cap_len, counting id and next
    body[1] = type;
    body[2] = static_cast<uint8_t>(kRegisterBar);
    put_le(body, 6, offset, 4);
    put_le(body, 10, length, 4);
    if (notify) put_le(body, 14, kNotifyMultiplier, 4);
    return body;
}
} // namespace

PciTransport::PciTransport(std::string name, std::unique_ptr<VirtioDevice> device,
                           vmm::GuestRam& ram, uint32_t queue_size_max)
    : vmm::Device(name),
      Transport(name, std::move(device), ram, queue_size_max), pci::Function(
                                                                   identity_of(this->device())),
      queue_vectors_(queue_count(), kNoVector), table_(queue_count() + 1) {
    auto& c = config();
    c.add_bar(kMsixBar, pci::BarInfo{pci::BarKind::Memory32, kMsixBarSize, false});
    c.add_bar(kRegisterBar, pci::BarInfo{pci::BarKind::Memory64, kRegisterBarSize, true});
    // MSI-X: table size - 1; table at BAR 1 + 0, PBA at BAR 1 + 0x800.
    std::vector<uint8_t> msix(10, 0);
    put_le(msix, 0, table_.size() - 1, 2);
    put_le(msix, 2, kMsixBar, 4);
    put_le(msix, 6, kPba | kMsixBar, 4);
    const std::array<uint8_t, 10> msix_writable{0, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0};
    msix_cap_ = c.add_capability(kCapMsix, msix, msix_writable);
    // Each structure is given its whole 4 KiB region, as QEMU does: a driver
    // that knows a longer common configuration (virtio 1.2) reads zeros there.
    c.add_capability(kCapVendor, virtio_cap(kCfgCommon, kCommon, kRegionSize, false));
    c.add_capability(kCapVendor, virtio_cap(kCfgIsr, kIsr, kRegionSize, false));
    c.add_capability(kCapVendor, virtio_cap(kCfgDevice, kDeviceConfig, kRegionSize, false));
    c.add_capability(kCapVendor, virtio_cap(kCfgNotify, kNotify, kRegionSize, true));
    transport_reset();
}

void PciTransport::transport_reset() {
    device_features_sel_ = driver_features_sel_ = 0;
    queue_sel_ = 0;
    config_vector_ = kNoVector;
    std::fill(queue_vectors_.begin(), queue_vectors_.end(), kNoVector);
    // The queue size reads as the largest the device offers until the driver
    // writes a smaller one.
    for (unsigned q = 0; q < queue_count(); ++q)
        queue(q).size = queue_size_max();
    set_intx(false);
}

void PciTransport::reset() {
    reset_function();
    device_reset();
}

void PciTransport::reset_function() {
    pci::Function::reset_function();
    for (auto& e : table_)
        e = MsixEntry{};
}

// ---- interrupts -------------------------------------------------------------

bool PciTransport::msix_enabled() const {
    return config().read(msix_cap_ + 2, 2) & kMsixEnable;
}

bool PciTransport::msix_masked() const {
    return config().read(msix_cap_ + 2, 2) & kMsixFunctionMask;
}

void PciTransport::signal(uint32_t cause, unsigned queue) {
    interrupt_status_ |= cause;
    if (!msix_enabled()) {
        set_intx(true);
        return;
    }
    uint16_t vector = cause == kInterruptConfig
                          ? config_vector_
                          : (queue < queue_vectors_.size() ? queue_vectors_[queue] : kNoVector);
    send(vector);
}

void PciTransport::send(uint16_t vector) {
    if (vector >= table_.size()) return; // NO_VECTOR: the driver wants no interrupt
    MsixEntry& e = table_[vector];
    if (msix_masked() || (e.control & 1)) {
        e.pending = true;
        return;
    }
    e.pending = false;
    bus_write32((uint64_t{e.address_high} << 32) | e.address_low, e.data);
}

void PciTransport::deliver_pending() {
    if (!msix_enabled() || msix_masked()) return;
    for (size_t v = 0; v < table_.size(); ++v)
        if (table_[v].pending && !(table_[v].control & 1)) send(static_cast<uint16_t>(v));
}

void PciTransport::config_write(unsigned offset, uint32_t value, unsigned size) {
    pci::Function::config_write(offset, value, size);
    // Enabling MSI-X takes the function off INTx; unmasking delivers what waited.
    if (msix_enabled()) set_intx(false);
    deliver_pending();
}

uint16_t PciTransport::checked_vector(uint64_t value) const {
    // A vector the table does not have reads back as NO_VECTOR (virtio 1.x 4.1.5.1.2).
    return value < table_.size() ? static_cast<uint16_t>(value) : kNoVector;
}

// ---- BARs ----------------------------------------------------------------------

uint64_t PciTransport::bar_read(unsigned bar, uint64_t offset, unsigned size) {
    if (size == 0 || size > 8) return 0;
    if (bar == kMsixBar) return read_msix(offset, size);
    if (bar != kRegisterBar) return 0;
    if (offset < kIsr) return read_le_window(common_image(), offset - kCommon, size);
    if (offset < kDeviceConfig) {
        if (offset != kIsr) return 0;
        // Reading the ISR acknowledges it (virtio 1.x 4.1.4.5).
        uint64_t v = interrupt_status_ & 0xff;
        interrupt_status_ = 0;
        if (!msix_enabled()) set_intx(false);
        return le_bytes_to_bus(v, 0, size);
    }
    if (offset < kNotify) return read_le_window(device().config(), offset - kDeviceConfig, size);
    return 0;
}

void PciTransport::bar_write(unsigned bar, uint64_t offset, uint64_t value, unsigned size) {
    if (size == 0 || size > 8) return;
    if (bar == kMsixBar) return write_msix(offset, value, size);
    if (bar != kRegisterBar) return;
    if (offset < kIsr) return write_common(static_cast<unsigned>(offset), value, size);
    if (offset >= kDeviceConfig && offset < kNotify) {
        if (status() & status::kNeedsReset) return;
        device().write_config(static_cast<uint32_t>(offset - kDeviceConfig),
                              bus_to_bytes(value, size));
        return;
    }
    // One slot per queue; the slot names the queue whatever the value says.
    if (offset >= kNotify && offset < kNotify + kRegionSize)
        kick(static_cast<unsigned>((offset - kNotify) / kNotifyMultiplier));
}

std::vector<uint8_t> PciTransport::common_image() {
    std::vector<uint8_t> c(common::kSize, 0);
    Virtqueue* q = queue_sel_ < queue_count() ? &queue(queue_sel_) : nullptr;
    put_le(c, common::kDeviceFeatureSelect, device_features_sel_, 4);
    put_le(c, common::kDeviceFeature, device_features_word(device_features_sel_), 4);
    put_le(c, common::kDriverFeatureSelect, driver_features_sel_, 4);
    put_le(c, common::kDriverFeature,
           driver_features_sel_ < 2 ? driver_features() >> (32 * driver_features_sel_) : 0, 4);
    put_le(c, common::kMsixConfig, config_vector_, 2);
    put_le(c, common::kNumQueues, queue_count(), 2);
    c[common::kDeviceStatus] = static_cast<uint8_t>(status());
    c[common::kConfigGeneration] = static_cast<uint8_t>(config_generation());
    put_le(c, common::kQueueSelect, queue_sel_, 2);
    if (q) {
        put_le(c, common::kQueueSize, q->size, 2);
        put_le(c, common::kQueueMsixVector, queue_vectors_[queue_sel_], 2);
        put_le(c, common::kQueueEnable, q->ready, 2);
        put_le(c, common::kQueueNotifyOff, queue_sel_, 2);
        put_le(c, common::kQueueDesc, q->desc, 8);
        put_le(c, common::kQueueDriver, q->driver, 8);
        put_le(c, common::kQueueDevice, q->device, 8);
    }
    return c;
}

void PciTransport::write_common(unsigned offset, uint64_t bus_value, unsigned size) {
    uint64_t value = le_bytes_to_bus(bus_value, 0, size); // back to the register's number
    Virtqueue* q = queue_sel_ < queue_count() ? &queue(queue_sel_) : nullptr;
    // Queue layout fields only change while the queue is disabled.
    Virtqueue* idle = q && !q->ready ? q : nullptr;
    // 64-bit fields take one 8-byte write or two 4-byte halves.
    auto set_part = [&](uint64_t& field, unsigned field_offset) {
        unsigned at = offset - field_offset;
        if (size == 8 && at == 0) field = value;
        if (size == 4 && (at == 0 || at == 4)) {
            uint64_t mask = 0xffffffffull << (8 * at);
            field = (field & ~mask) | (value << (8 * at));
        }
    };
    if (offset >= common::kQueueDesc) {
        if (!idle) return;
        if (offset < common::kQueueDriver) return set_part(idle->desc, common::kQueueDesc);
        if (offset < common::kQueueDevice) return set_part(idle->driver, common::kQueueDriver);
        if (offset < common::kSize) set_part(idle->device, common::kQueueDevice);
        return;
    }
    // The other fields are written whole, with their own width.
    auto is = [&](unsigned field, unsigned width) { return offset == field && size == width; };
    if (is(common::kDeviceFeatureSelect, 4)) {
        device_features_sel_ = static_cast<uint32_t>(value);
    } else if (is(common::kDriverFeatureSelect, 4)) {
        driver_features_sel_ = static_cast<uint32_t>(value);
    } else if (is(common::kDriverFeature, 4)) {
        set_driver_features_word(driver_features_sel_, static_cast<uint32_t>(value));
    } else if (is(common::kMsixConfig, 2)) {
        config_vector_ = checked_vector(value);
    } else if (is(common::kDeviceStatus, 1)) {
        write_status(static_cast<uint32_t>(value));
    } else if (is(common::kQueueSelect, 2)) {
        queue_sel_ = static_cast<uint16_t>(value);
    } else if (is(common::kQueueSize, 2)) {
        if (idle) idle->size = static_cast<uint32_t>(value);
    } else if (is(common::kQueueMsixVector, 2)) {
        if (q) queue_vectors_[queue_sel_] = checked_vector(value);
    } else if (is(common::kQueueEnable, 2)) {
        // Only 1 is meaningful; a driver disables queues by resetting the device.
        if (q && value == 1) enable_queue(queue_sel_);
    }
}

// ---- MSI-X table -----------------------------------------------------------------

uint64_t PciTransport::read_msix(uint64_t offset, unsigned size) {
    if (offset >= kPba) {
        uint64_t bits = 0;
        for (size_t v = 0; v < table_.size() && v < 64; ++v)
            if (table_[v].pending) bits |= uint64_t{1} << v;
        uint64_t at = offset - kPba;
        if (at >= 8 || at + size > 8) return 0;
        return le_bytes_to_bus(bits, static_cast<unsigned>(at), size);
    }
    uint64_t entry = offset / 16;
    unsigned lane = offset % 16;
    if (entry >= table_.size() || (lane & 3) + size > 4) return 0;
    const MsixEntry& e = table_[entry];
    const uint32_t words[4] = {e.address_low, e.address_high, e.data, e.control};
    return le_bytes_to_bus(words[lane / 4], lane & 3, size);
}

void PciTransport::write_msix(uint64_t offset, uint64_t value, unsigned size) {
    uint64_t entry = offset / 16;
    unsigned lane = offset % 16;
    // Dword writes only (PCI 3.0 6.8.2: the table is written with dwords or qwords).
    if (offset >= kPba || entry >= table_.size() || size != 4 || (lane & 3)) return;
    MsixEntry& e = table_[entry];
    uint32_t v = static_cast<uint32_t>(le_bytes_to_bus(value, 0, 4));
    uint32_t* words[4] = {&e.address_low, &e.address_high, &e.data, &e.control};
    *words[lane / 4] = lane / 4 == 3 ? (v & 1) : v;
    if (lane / 4 == 3) deliver_pending();
}

} // namespace vmc::devices::virtio
