// Places devices that a machine file leaves to the board: the next free
// slot of a bus window (`slot-size`) and the next free interrupt source of
// its pool (`irq-pool`). Explicit placements are reserved first, then
// requests are answered in file order, so the result is deterministic.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace vmc::config {

class SlotAllocator {
public:
    SlotAllocator(uint64_t window_base, uint64_t window_size, uint64_t slot_size);

    void reserve(uint64_t address, uint64_t size);
    // First slot-aligned address where `size` bytes (one or more whole
    // slots) are free; nullopt when the window is full.
    std::optional<uint64_t> allocate(uint64_t size);

private:
    bool is_free(uint64_t address, uint64_t size) const;

    uint64_t base_;
    uint64_t size_;
    uint64_t slot_size_;
    std::vector<std::pair<uint64_t, uint64_t>> used_; // [start, end)
};

class IrqAllocator {
public:
    IrqAllocator(uint32_t first, uint32_t last);

    void reserve(uint32_t source) { used_.insert(source); }
    std::optional<uint32_t> allocate();

private:
    uint32_t first_;
    uint32_t last_;
    std::set<uint32_t> used_;
};

} // namespace vmc::config
