#include "devices/virtio/transport.hpp"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <fmt/format.h>

namespace vmc::devices::virtio {

namespace {
constexpr uint32_t kQueueSizeLimit = 32768; // the largest split ring virtio allows
}

uint64_t le_bytes_to_bus(uint64_t value, unsigned first, unsigned size) {
    uint64_t out = 0;
    for (unsigned i = 0; i < size; ++i)
        out = (out << 8) | ((value >> (8 * (first + i))) & 0xff);
    return out;
}

std::vector<uint8_t> bus_to_bytes(uint64_t value, unsigned size) {
    std::vector<uint8_t> bytes(size);
    for (unsigned i = 0; i < size; ++i)
        bytes[i] = static_cast<uint8_t>(value >> (8 * (size - 1 - i)));
    return bytes;
}

uint64_t read_le_window(const std::vector<uint8_t>& bytes, uint64_t offset, unsigned size) {
    uint64_t v = 0;
    for (unsigned i = 0; i < size; ++i) {
        uint64_t at = offset + i;
        v = (v << 8) | (at < bytes.size() ? bytes[at] : 0);
    }
    return v;
}

Transport::Transport(std::string label, std::unique_ptr<VirtioDevice> device, vmm::GuestRam& ram,
                     uint32_t queue_size_max)
    : label_(std::move(label)), device_(std::move(device)), ram_(ram),
      queue_size_max_(std::bit_floor(std::clamp<uint32_t>(queue_size_max, 1, kQueueSizeLimit))),
      queues_(device_->queue_count()) {
    device_->attach(*this);
}

void Transport::device_reset() {
    for (auto& q : queues_)
        q.reset();
    driver_features_ = 0;
    status_ = 0;
    interrupt_status_ = 0;
    transport_reset();
    device_->reset();
}

uint64_t Transport::offered_features() const {
    return device_->features() | kFeatureVersion1 | kFeatureIndirectDesc;
}

uint32_t Transport::device_features_word(uint32_t select) const {
    return select < 2 ? static_cast<uint32_t>(offered_features() >> (32 * select)) : 0;
}

void Transport::set_driver_features_word(uint32_t select, uint32_t value) {
    if (select >= 2 || (status_ & status::kFeaturesOk)) return;
    uint64_t mask = 0xffffffffull << (32 * select);
    driver_features_ = (driver_features_ & ~mask) | (uint64_t{value} << (32 * select));
}

void Transport::fail(const std::string& why) {
    if (status_ & status::kNeedsReset) return;
    failure_ = why;
    // Said once per device: a guest that keeps breaking it cannot flood the log.
    if (!failure_reported_) {
        fmt::print(stderr, "vmcompose: {}: guest driver error, device needs reset: {}\n", label_,
                   why);
        failure_reported_ = true;
    }
    status_ |= status::kNeedsReset;
    signal(kInterruptConfig, 0);
}

void Transport::config_changed() {
    ++config_generation_;
    if (status_ & status::kDriverOk) signal(kInterruptConfig, 0);
}

void Transport::used(unsigned queue) {
    if (queue < queues_.size() && queues_[queue].broken()) {
        fail(fmt::format("queue {}: {}", queue, queues_[queue].error()));
        return;
    }
    signal(kInterruptUsedBuffer, queue);
}

void Transport::enable_queue(unsigned queue) {
    if (queue >= queues_.size() || (status_ & status::kNeedsReset)) return;
    Virtqueue& q = queues_[queue];
    if (q.ready) return;
    q.indirect = driver_features_ & kFeatureIndirectDesc;
    if (!q.enable(ram_, queue_size_max_)) fail(fmt::format("queue {}: {}", queue, q.error()));
}

void Transport::kick(unsigned queue) {
    if (queue >= queues_.size() || !driver_ok()) return;
    device_->notify(*this, queue);
    if (queues_[queue].broken()) used(queue);
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

} // namespace vmc::devices::virtio
