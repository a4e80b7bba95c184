// A split virtqueue in guest memory (virtio 1.x, little-endian rings).
// Every guest address is checked through GuestRam; a malformed chain is
// reported to the caller, never followed outside RAM or around a loop.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
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
    uint32_t size = 0; // QueueNum as the driver wrote it; checked by enable()
    bool ready = false;
    uint64_t desc = 0, driver = 0, device = 0;
    bool indirect = false; // VIRTIO_F_INDIRECT_DESC negotiated

    void reset();
    // QueueReady 1: checks the size (a power of 2, 1..max) and that the three
    // rings lie in RAM with their required alignment. false (with error())
    // leaves the queue disabled.
    bool enable(vmm::GuestRam& ram, uint32_t size_max);
    // QueueReady 0: stop using the rings; the next enable starts from index 0.
    void disable();
    // The next available chain, std::nullopt when none; sets broken() on a malformed ring.
    std::optional<Chain> pop(vmm::GuestRam& ram);
    // Returns a chain to the driver with `written` bytes written into it.
    void push(vmm::GuestRam& ram, uint16_t head, uint32_t written);
    // Puts the last popped chain back (the device had no use for it yet).
    void unpop() { --last_avail_; }

    bool broken() const { return broken_; }
    const std::string& error() const { return error_; }
    void fail(std::string why);

private:
    std::optional<uint16_t> read16(vmm::GuestRam& ram, uint64_t gpa);
    bool walk_indirect(vmm::GuestRam& ram, uint64_t table, uint32_t length, Chain& chain,
                       bool& seen_writable);
    bool add_buffer(vmm::GuestRam& ram, uint64_t address, uint32_t length, bool writable,
                    Chain& chain, bool& seen_writable);
    uint16_t last_avail_ = 0;
    uint16_t used_idx_ = 0;
    bool broken_ = false;
    std::string error_;
};

// Copies between a chain's buffers and host memory, bounds-checked.
// Returns the number of bytes moved (short when the buffers are short).
size_t read_from(vmm::GuestRam& ram, const std::vector<Buffer>& buffers, size_t offset,
                 uint8_t* out, size_t length);
size_t write_to(vmm::GuestRam& ram, const std::vector<Buffer>& buffers, size_t offset,
                const uint8_t* in, size_t length);
size_t readable_length(const std::vector<Buffer>& buffers);
size_t writable_length(const std::vector<Buffer>& buffers);

} // namespace vmc::devices::virtio
