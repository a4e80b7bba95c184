// Guest RAM: one anonymous host mapping that backs [base, base+size) of the
// guest physical address space. Every access from a device goes through
// span(), which refuses any range that is not wholly inside RAM, so a
// guest-supplied address can never reach host memory outside the mapping.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

namespace vmc::vmm {

// Told about guest RAM written by anything other than the vCPUs (device DMA),
// so an engine that caches decoded guest code can drop stale pages.
class RamWriteObserver {
public:
    virtual ~RamWriteObserver() = default;
    virtual void ram_written(uint64_t gpa, uint64_t len) = 0;
};

class GuestRam {
public:
    // Maps fresh anonymous memory; throws std::system_error when mmap fails.
    // With `backing`, uses that host memory (size bytes, owned by the caller)
    // instead: a second view of memory someone else already maps, such as the
    // userspace RAM a KVM memory slot names.
    GuestRam(uint64_t base, uint64_t size, uint8_t* backing = nullptr);
    ~GuestRam();
    GuestRam(const GuestRam&) = delete;
    GuestRam& operator=(const GuestRam&) = delete;

    uint64_t base() const { return base_; }
    uint64_t size() const { return size_; }
    bool contains(uint64_t gpa, uint64_t len) const {
        return gpa >= base_ && len <= size_ && gpa - base_ <= size_ - len;
    }
    // Host view of [gpa, gpa+len), or an empty span when any byte is outside RAM.
    std::span<uint8_t> span(uint64_t gpa, uint64_t len) {
        if (!contains(gpa, len)) return {};
        return {host_ + (gpa - base_), static_cast<size_t>(len)};
    }
    // Direct pointer for engines that map whole pages (the emulator's soft TLB,
    // KVM memory slots). Null when out of range.
    uint8_t* host(uint64_t gpa) { return contains(gpa, 1) ? host_ + (gpa - base_) : nullptr; }
    uint8_t* data() { return host_; }

    // Big-endian accessors (the guest's byte order). std::nullopt / false
    // when the range is outside RAM.
    std::optional<uint64_t> read_be(uint64_t gpa, unsigned width);
    bool write_be(uint64_t gpa, uint64_t value, unsigned width);
    bool read(uint64_t gpa, std::span<uint8_t> out);
    bool write(uint64_t gpa, std::span<const uint8_t> in);

    // write() and write_be() report to the observer themselves; a device that
    // writes guest RAM through span() or host() calls notify_written() after.
    void set_write_observer(RamWriteObserver* observer) { observer_ = observer; }
    void notify_written(uint64_t gpa, uint64_t len) {
        if (observer_) observer_->ram_written(gpa, len);
    }

private:
    uint64_t base_;
    uint64_t size_;
    bool owned_;
    uint8_t* host_;
    RamWriteObserver* observer_ = nullptr;
};

} // namespace vmc::vmm
