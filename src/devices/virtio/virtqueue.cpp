#include "devices/virtio/virtqueue.hpp"

#include <algorithm>
#include <cstring>

namespace vmc::devices::virtio {

namespace {
constexpr uint16_t kDescNext = 1, kDescWrite = 2, kDescIndirect = 4;

uint64_t le(const uint8_t* p, unsigned n) {
    uint64_t v = 0;
    for (unsigned i = 0; i < n; ++i) v |= uint64_t{p[i]} << (8 * i);
    return v;
}
void put_le(uint8_t* p, uint64_t v, unsigned n) {
    for (unsigned i = 0; i < n; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
} // namespace

void Virtqueue::reset() {
    size = 0;
    ready = false;
    desc = driver = device = 0;
    broken = false;
    last_avail_ = used_idx_ = 0;
}

std::optional<uint16_t> Virtqueue::read16(vmm::GuestRam& ram, uint64_t gpa) {
    auto s = ram.span(gpa, 2);
    if (s.empty()) return std::nullopt;
    return static_cast<uint16_t>(le(s.data(), 2));
}

std::optional<Chain> Virtqueue::pop(vmm::GuestRam& ram) {
    if (!ready || broken || size == 0) return std::nullopt;
    auto avail_idx = read16(ram, driver + 2);
    if (!avail_idx) {
        broken = true;
        return std::nullopt;
    }
    if (*avail_idx == last_avail_) return std::nullopt;
    // More outstanding entries than the ring holds: the driver is confused.
    if (static_cast<uint16_t>(*avail_idx - last_avail_) > size) {
        broken = true;
        return std::nullopt;
    }
    auto head = read16(ram, driver + 4 + 2ull * (last_avail_ % size));
    if (!head || *head >= size) {
        broken = true;
        return std::nullopt;
    }
    ++last_avail_;
    Chain chain;
    chain.head = *head;
    uint16_t index = *head;
    bool seen_writable = false;
    // A chain has at most `size` descriptors: more means a loop.
    for (uint32_t count = 0;; ++count) {
        auto d = ram.span(desc + 16ull * index, 16);
        if (count >= size || d.empty()) {
            broken = true;
            return std::nullopt;
        }
        uint64_t address = le(d.data(), 8);
        uint32_t length = static_cast<uint32_t>(le(d.data() + 8, 4));
        uint16_t flags = static_cast<uint16_t>(le(d.data() + 12, 2));
        uint16_t next = static_cast<uint16_t>(le(d.data() + 14, 2));
        bool writable = flags & kDescWrite;
        // Indirect descriptors are not offered; readable after writable breaks the layout.
        if ((flags & kDescIndirect) || (seen_writable && !writable) || !ram.contains(address, length)) {
            broken = true;
            return std::nullopt;
        }
        seen_writable |= writable;
        chain.buffers.push_back({address, length, writable});
        if (!(flags & kDescNext)) break;
        if (next >= size) {
            broken = true;
            return std::nullopt;
        }
        index = next;
    }
    return chain;
}

void Virtqueue::push(vmm::GuestRam& ram, uint16_t head, uint32_t written) {
    auto elem = ram.span(device + 4 + 8ull * (used_idx_ % size), 8);
    auto idx = ram.span(device + 2, 2);
    if (elem.empty() || idx.empty()) {
        broken = true;
        return;
    }
    put_le(elem.data(), head, 4);
    put_le(elem.data() + 4, written, 4);
    ++used_idx_;
    put_le(idx.data(), used_idx_, 2);
    ram.notify_written(device, 4 + 8ull * size);
}

size_t read_from(vmm::GuestRam& ram, const std::vector<Buffer>& buffers, size_t offset, uint8_t* out,
                 size_t length) {
    size_t done = 0;
    for (const Buffer& b : buffers) {
        if (b.device_writable || done == length) continue;
        if (offset >= b.length) {
            offset -= b.length;
            continue;
        }
        size_t n = std::min<size_t>(b.length - offset, length - done);
        auto s = ram.span(b.address + offset, n);
        if (s.empty()) break;
        std::memcpy(out + done, s.data(), n);
        done += n;
        offset = 0;
    }
    return done;
}

size_t write_to(vmm::GuestRam& ram, const std::vector<Buffer>& buffers, size_t offset, const uint8_t* in,
                size_t length) {
    size_t done = 0;
    for (const Buffer& b : buffers) {
        if (!b.device_writable || done == length) continue;
        if (offset >= b.length) {
            offset -= b.length;
            continue;
        }
        size_t n = std::min<size_t>(b.length - offset, length - done);
        auto s = ram.span(b.address + offset, n);
        if (s.empty()) break;
        std::memcpy(s.data(), in + done, n);
        ram.notify_written(b.address + offset, n);
        done += n;
        offset = 0;
    }
    return done;
}

size_t readable_length(const std::vector<Buffer>& buffers) {
    size_t n = 0;
    for (const Buffer& b : buffers) n += b.device_writable ? 0 : b.length;
    return n;
}

size_t writable_length(const std::vector<Buffer>& buffers) {
    size_t n = 0;
    for (const Buffer& b : buffers) n += b.device_writable ? b.length : 0;
    return n;
}

} // namespace vmc::devices::virtio
