#include "vmm/mmio.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <stdexcept>

namespace vmc::vmm {

void MmioBus::add(uint64_t base, uint64_t size, MmioHandler* handler, std::string name) {
    if (size == 0 || base + size < base)
        throw std::invalid_argument(fmt::format("{}: invalid MMIO range", name));
    auto it = std::lower_bound(regions_.begin(), regions_.end(), base,
                               [](const Region& r, uint64_t b) { return r.base < b; });
    auto overlaps = [&](const Region& r) { return base < r.base + r.size && r.base < base + size; };
    if (it != regions_.end() && overlaps(*it))
        throw std::invalid_argument(
            fmt::format("{} at {:#x} overlaps {} at {:#x}", name, base, it->name, it->base));
    if (it != regions_.begin() && overlaps(*std::prev(it)))
        throw std::invalid_argument(fmt::format("{} at {:#x} overlaps {} at {:#x}", name, base,
                                                std::prev(it)->name, std::prev(it)->base));
    regions_.insert(it, Region{base, size, handler, std::move(name), 0, 0, 0});
}

void MmioBus::add_inside(uint64_t base, uint64_t size, MmioHandler* handler, std::string name) {
    const Region* outer = find(base);
    if (size == 0 || !outer || base + size < base || base + size > outer->base + outer->size)
        throw std::invalid_argument(
            fmt::format("{} at {:#x}: not inside one mapped region", name, base));
    Region before = *outer, after = *outer;
    before.size = base - outer->base;
    after.base = base + size;
    after.size = outer->base + outer->size - after.base;
    after.handler_offset = outer->handler_offset + (after.base - outer->base);
    auto it = regions_.begin() + (outer - regions_.data());
    it = regions_.erase(it);
    if (after.size) it = regions_.insert(it, after);
    it = regions_.insert(it, Region{base, size, handler, std::move(name), 0, 0, 0});
    if (before.size) regions_.insert(it, before);
}

const MmioBus::Region* MmioBus::find(uint64_t addr) const {
    auto it = std::upper_bound(regions_.begin(), regions_.end(), addr,
                               [](uint64_t a, const Region& r) { return a < r.base; });
    if (it == regions_.begin()) return nullptr;
    --it;
    return addr - it->base < it->size ? &*it : nullptr;
}

bool MmioBus::read(uint64_t addr, unsigned size, uint64_t& value) const {
    const Region* r = find(addr);
    if (!r || addr - r->base + size > r->size) {
        if (observer_) observer_->mmio_access(nullptr, addr, size, 0, false);
        return false;
    }
    ++r->reads;
    value = r->handler->mmio_read(addr - r->base + r->handler_offset, size);
    if (observer_) observer_->mmio_access(r, addr, size, value, false);
    return true;
}

bool MmioBus::write(uint64_t addr, unsigned size, uint64_t value) const {
    const Region* r = find(addr);
    if (!r || addr - r->base + size > r->size) {
        if (observer_) observer_->mmio_access(nullptr, addr, size, value, true);
        return false;
    }
    ++r->writes;
    r->handler->mmio_write(addr - r->base + r->handler_offset, value, size);
    if (observer_) observer_->mmio_access(r, addr, size, value, true);
    return true;
}

} // namespace vmc::vmm
