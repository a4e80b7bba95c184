#include "vmm/guest_ram.hpp"

#include <cerrno>
#include <sys/mman.h>
#include <system_error>

namespace vmc::vmm {

GuestRam::GuestRam(uint64_t base, uint64_t size, uint8_t* backing)
    : base_(base), size_(size), owned_(backing == nullptr) {
    if (backing) {
        host_ = backing;
        return;
    }
    // MAP_NORESERVE: untouched guest RAM costs nothing on the host.
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) throw std::system_error(errno, std::generic_category(), "mmap guest RAM");
    host_ = static_cast<uint8_t*>(p);
}

GuestRam::~GuestRam() {
    if (owned_) munmap(host_, size_);
}

std::optional<uint64_t> GuestRam::read_be(uint64_t gpa, unsigned width) {
    auto s = span(gpa, width);
    if (s.empty()) return std::nullopt;
    uint64_t v = 0;
    for (uint8_t b : s)
        v = (v << 8) | b;
    return v;
}

bool GuestRam::write_be(uint64_t gpa, uint64_t value, unsigned width) {
    auto s = span(gpa, width);
    if (s.empty()) return false;
    for (unsigned i = 0; i < width; ++i)
        s[width - 1 - i] = static_cast<uint8_t>(value >> (8 * i));
    notify_written(gpa, width);
    return true;
}

bool GuestRam::read(uint64_t gpa, std::span<uint8_t> out) {
    auto s = span(gpa, out.size());
    if (s.data() == nullptr && !out.empty()) return false;
    if (!out.empty()) std::memcpy(out.data(), s.data(), out.size());
    return true;
}

bool GuestRam::write(uint64_t gpa, std::span<const uint8_t> in) {
    auto s = span(gpa, in.size());
    if (s.data() == nullptr && !in.empty()) return false;
    if (!in.empty()) std::memcpy(s.data(), in.data(), in.size());
    notify_written(gpa, in.size());
    return true;
}

} // namespace vmc::vmm
