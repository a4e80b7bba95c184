#include "config/allocator.hpp"

namespace vmc::config {

SlotAllocator::SlotAllocator(uint64_t window_base, uint64_t window_size, uint64_t slot_size)
    : base_(window_base), size_(window_size), slot_size_(slot_size == 0 ? 1 : slot_size) {}

void SlotAllocator::reserve(uint64_t address, uint64_t size) {
    used_.emplace_back(address, address + (size == 0 ? 1 : size));
}

bool SlotAllocator::is_free(uint64_t address, uint64_t size) const {
    for (const auto& [start, end] : used_)
        if (address < end && start < address + size) return false;
    return true;
}

std::optional<uint64_t> SlotAllocator::allocate(uint64_t size) {
    uint64_t slots = size == 0 ? 1 : (size + slot_size_ - 1) / slot_size_;
    uint64_t span = slots * slot_size_;
    for (uint64_t offset = 0; offset + span <= size_; offset += slot_size_) {
        if (is_free(base_ + offset, span)) {
            reserve(base_ + offset, span);
            return base_ + offset;
        }
    }
    return std::nullopt;
}

IrqAllocator::IrqAllocator(uint32_t first, uint32_t last) : first_(first), last_(last) {}

std::optional<uint32_t> IrqAllocator::allocate() {
    for (uint64_t source = first_; source <= last_; ++source) {
        if (!used_.contains(static_cast<uint32_t>(source))) {
            used_.insert(static_cast<uint32_t>(source));
            return static_cast<uint32_t>(source);
        }
    }
    return std::nullopt;
}

} // namespace vmc::config
