// A split virtqueue in guest memory (virtio 1.x, little-endian rings).
// Every guest address is checked through GuestRam; a malformed chain is
// reported to the caller, never followed outside RAM or around a loop.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "vmm/guest_ram.hpp"

namespace vmc::devices::virtio {

struct Buffer {
    uint64_t address;
    uint32_t length;
    bool device_writable;
};

// One request: the descriptor chain the driver made available.
struct Chain {
    uint16_t head = 0;
    std::vector<Buffer> buffers; // readable ones first, then writable (the spec's order)
};

class Virtqueue {
public:
    uint32_t size = 0; // QueueNum
    bool ready = false;
    uint64_t desc = 0, driver = 0, device = 0;

    void reset();
    // The next available chain, std::nullopt when none; sets `broken` on a malformed ring.
    std::optional<Chain> pop(vmm::GuestRam& ram);
    // Returns a chain to the driver with `written` bytes written into it.
    void push(vmm::GuestRam& ram, uint16_t head, uint32_t written);
    bool broken = false;

private:
    std::optional<uint16_t> read16(vmm::GuestRam& ram, uint64_t gpa);
    uint16_t last_avail_ = 0;
    uint16_t used_idx_ = 0;
};

// Copies between a chain's buffers and host memory, bounds-checked.
// Returns the number of bytes moved (short when the buffers are short).
size_t read_from(vmm::GuestRam& ram, const std::vector<Buffer>& buffers, size_t offset, uint8_t* out,
                 size_t length);
size_t write_to(vmm::GuestRam& ram, const std::vector<Buffer>& buffers, size_t offset, const uint8_t* in,
                size_t length);
size_t readable_length(const std::vector<Buffer>& buffers);
size_t writable_length(const std::vector<Buffer>& buffers);

} // namespace vmc::devices::virtio
