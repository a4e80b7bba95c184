#include "devices/virtio/virtqueue.hpp"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>

namespace vmc::devices::virtio {

namespace {
constexpr uint16_t kDescNext = 1, kDescWrite = 2, kDescIndirect = 4;
constexpr uint64_t kDescSize = 16;
// An indirect table holds at most this many descriptors (as QEMU bounds it):
// a guest cannot make one request cost the host unbounded work or memory.
constexpr uint32_t kIndirectMax = 1024;

uint64_t le(const uint8_t* p, unsigned n) {
    uint64_t v = 0;
    for (unsigned i = 0; i < n; ++i)
        v |= uint64_t{p[i]} << (8 * i);
    return v;
}
void put_le(uint8_t* p, uint64_t v, unsigned n) {
    for (unsigned i = 0; i < n; ++i)
        p[i] = static_cast<uint8_t>(v >> (8 * i));
}

struct Descriptor {
    uint64_t address;
    uint32_t length;
    uint16_t flags;
    uint16_t next;
};

std::optional<Descriptor> read_descriptor(vmm::GuestRam& ram, uint64_t gpa) {
    auto d = ram.span(gpa, kDescSize);
    if (d.empty()) return std::nullopt;
    return Descriptor{le(d.data(), 8), static_cast<uint32_t>(le(d.data() + 8, 4)),
                      static_cast<uint16_t>(le(d.data() + 12, 2)),
                      static_cast<uint16_t>(le(d.data() + 14, 2))};
}
} // namespace

void Virtqueue::reset() {
    size = 0;
    ready = false;
    desc = driver = device = 0;
    indirect = false;
    broken_ = false;
    error_.clear();
    last_avail_ = used_idx_ = 0;
}

void Virtqueue::fail(std::string why) {
    if (!broken_) error_ = std::move(why);
    broken_ = true;
}

bool Virtqueue::enable(vmm::GuestRam& ram, uint32_t size_max) {
    if (size == 0 || size > size_max || (size & (size - 1)) != 0) {
        fail(fmt::format("queue size {} is not a power of 2 from 1 to {}", size, size_max));
        return false;
    }
    // Layout and alignment of the split rings (virtio 1.x, 2.7).
    uint64_t desc_len = kDescSize * size, avail_len = 6 + 2ull * size, used_len = 6 + 8ull * size;
    if (desc % 16 || driver % 2 || device % 4) {
        fail("misaligned ring address");
        return false;
    }
    if (!ram.contains(desc, desc_len) || !ram.contains(driver, avail_len) ||
        !ram.contains(device, used_len)) {
        fail(fmt::format("ring outside guest RAM (desc {:#x}, avail {:#x}, used {:#x})", desc,
                         driver, device));
        return false;
    }
    ready = true;
    last_avail_ = used_idx_ = 0;
    return true;
}

void Virtqueue::disable() {
    ready = false;
    last_avail_ = used_idx_ = 0;
}

std::optional<uint16_t> Virtqueue::read16(vmm::GuestRam& ram, uint64_t gpa) {
    auto s = ram.span(gpa, 2);
    if (s.empty()) return std::nullopt;
    return static_cast<uint16_t>(le(s.data(), 2));
}

bool Virtqueue::add_buffer(vmm::GuestRam& ram, uint64_t address, uint32_t length, bool writable,
                           Chain& chain, bool& seen_writable) {
    if (seen_writable && !writable) {
        fail("device-readable descriptor after a device-writable one");
        return false;
    }
    if (!ram.contains(address, length)) {
        fail(fmt::format("buffer [{:#x}, +{:#x}) outside guest RAM", address, length));
        return false;
    }
    seen_writable |= writable;
    chain.buffers.push_back({address, length, writable});
    return true;
}

bool Virtqueue::walk_indirect(vmm::GuestRam& ram, uint64_t table, uint32_t length, Chain& chain,
                              bool& seen_writable) {
    if (!indirect) {
        fail("indirect descriptor without VIRTIO_F_INDIRECT_DESC");
        return false;
    }
    uint32_t count = length / kDescSize;
    if (length % kDescSize || count == 0 || count > kIndirectMax || !ram.contains(table, length)) {
        fail(fmt::format("bad indirect table [{:#x}, +{:#x})", table, length));
        return false;
    }
    uint32_t index = 0;
    for (uint32_t seen = 0;; ++seen) {
        auto d = read_descriptor(ram, table + kDescSize * index);
        if (seen >= count || !d) {
            fail("indirect descriptor chain loops");
            return false;
        }
        if (d->flags & kDescIndirect) {
            fail("nested indirect descriptor");
            return false;
        }
        if (!add_buffer(ram, d->address, d->length, d->flags & kDescWrite, chain, seen_writable))
            return false;
        if (!(d->flags & kDescNext)) return true;
        if (d->next >= count) {
            fail("indirect descriptor index beyond its table");
            return false;
        }
        index = d->next;
    }
}

std::optional<Chain> Virtqueue::pop(vmm::GuestRam& ram) {
    if (!ready || broken_) return std::nullopt;
    auto avail_idx = read16(ram, driver + 2);
    if (!avail_idx) {
        fail("available ring outside guest RAM");
        return std::nullopt;
    }
    if (*avail_idx == last_avail_) return std::nullopt;
    // More outstanding entries than the ring holds: the driver is confused.
    if (static_cast<uint16_t>(*avail_idx - last_avail_) > size) {
        fail(fmt::format("available index moved from {} to {} on a queue of {}", last_avail_,
                         *avail_idx, size));
        return std::nullopt;
    }
    auto head = read16(ram, driver + 4 + 2ull * (last_avail_ % size));
    if (!head || *head >= size) {
        fail("available ring names a descriptor beyond the queue");
        return std::nullopt;
    }
    ++last_avail_;
    Chain chain;
    chain.head = *head;
    uint16_t index = *head;
    bool seen_writable = false;
    // A chain has at most `size` descriptors: more means a loop.
    for (uint32_t count = 0;; ++count) {
        auto d = read_descriptor(ram, desc + kDescSize * index);
        if (count >= size || !d) {
            fail("descriptor chain loops or is longer than the queue");
            return std::nullopt;
        }
        if (d->flags & kDescIndirect) {
            // The table replaces the rest of the chain (virtio 1.x, 2.7.5.3).
            if ((d->flags & kDescNext) || count != 0) {
                fail("indirect descriptor inside a chain");
                return std::nullopt;
            }
            if (!walk_indirect(ram, d->address, d->length, chain, seen_writable))
                return std::nullopt;
            break;
        }
        if (!add_buffer(ram, d->address, d->length, d->flags & kDescWrite, chain, seen_writable))
            return std::nullopt;
        if (!(d->flags & kDescNext)) break;
        if (d->next >= size) {
            fail("descriptor index beyond the queue");
            return std::nullopt;
        }
        index = d->next;
    }
    return chain;
}

void Virtqueue::push(vmm::GuestRam& ram, uint16_t head, uint32_t written) {
    if (!ready || broken_) return;
    auto elem = ram.span(device + 4 + 8ull * (used_idx_ % size), 8);
    auto idx = ram.span(device + 2, 2);
    if (elem.empty() || idx.empty()) {
        fail("used ring outside guest RAM");
        return;
    }
    put_le(elem.data(), head, 4);
    put_le(elem.data() + 4, written, 4);
    ++used_idx_;
    put_le(idx.data(), used_idx_, 2);
    ram.notify_written(device, 4 + 8ull * size);
}

size_t read_from(vmm::GuestRam& ram, const std::vector<Buffer>& buffers, size_t offset,
                 uint8_t* out, size_t length) {
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

size_t write_to(vmm::GuestRam& ram, const std::vector<Buffer>& buffers, size_t offset,
                const uint8_t* in, size_t length) {
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
    for (const Buffer& b : buffers)
        n += b.device_writable ? 0 : b.length;
    return n;
}

size_t writable_length(const std::vector<Buffer>& buffers) {
    size_t n = 0;
    for (const Buffer& b : buffers)
        n += b.device_writable ? b.length : 0;
    return n;
}

} // namespace vmc::devices::virtio
