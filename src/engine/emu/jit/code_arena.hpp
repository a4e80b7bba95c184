// Executable memory for translated blocks, kept W^X: one shared-memory file
// mapped twice, writable at one address and executable at another, so code
// is never writable where it runs and no mprotect call is needed per block.
// Blocks are appended; the arena is emptied as a whole (Jit::flush) when full.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace vmc::emu::jit {

class CodeArena {
public:
    // Reserves `capacity` bytes (rounded up to pages). ok() is false when the
    // host refuses (no memfd, no executable mappings): the caller then runs
    // without translation.
    explicit CodeArena(size_t capacity);
    ~CodeArena();
    CodeArena(const CodeArena&) = delete;
    CodeArena& operator=(const CodeArena&) = delete;

    bool ok() const { return exec_ != nullptr; }
    // Copies `code` in and returns where it can be executed, or null when the
    // arena is full.
    const uint8_t* append(std::span<const uint8_t> code);
    void clear() { used_ = 0; }
    // The writable view of code appended earlier (to patch it in place).
    uint8_t* writable(const uint8_t* code) { return write_ + (code - exec_); }
    size_t used() const { return used_; }
    size_t capacity() const { return capacity_; }

private:
    size_t capacity_ = 0;
    size_t used_ = 0;
    uint8_t* write_ = nullptr;
    uint8_t* exec_ = nullptr;
};

} // namespace vmc::emu::jit
