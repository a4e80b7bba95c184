// Translation of hot guest code into host code. The dispatch loop counts
// block starts per decoded slot; once a slot is hot, the translator turns the
// block starting there into x86-64 code, stored in the slot (DecodedSlot::
// block) and run instead of the handlers from then on. An exit to a fixed
// address in the same page is linked to the block there once both exist, so
// loops over several blocks run without returning. Translated blocks go
// where their slots go: a re-decoded word forgets the blocks covering it, a
// dropped page takes its blocks with it. When the code arena is full, every
// decoded page is dropped and the arena starts again empty.
//
// Only x86-64 hosts translate; elsewhere (and with --no-jit) the interpreter
// runs everything.
#pragma once

#include <cstdint>

#include "engine/emu/code_cache.hpp"
#include "engine/emu/jit/code_arena.hpp"
#include "engine/emu/jit/translator.hpp"

namespace vmc::emu {
class Core;
}

namespace vmc::emu::jit {

struct JitStats {
    uint64_t blocks = 0;      // blocks translated
    uint64_t guest_insns = 0; // guest instructions in them (one pass each)
    uint64_t code_bytes = 0;  // host code written
    uint64_t flushes = 0;     // times the full arena was emptied
    uint64_t links = 0;       // block exits patched to jump straight to their target
};

class Jit {
public:
    // Block starts at a slot before it is translated.
    static constexpr uint16_t kHotBlockStarts = 32;
    static constexpr size_t kMaxLinksPerPage = 4096;

    // `wanted` false (--no-jit), a host other than x86-64, or one that
    // refuses executable memory: inactive, nothing is translated.
    Jit(bool wanted, size_t arena_bytes);

    bool active() const { return active_; }
    // Translates the block starting at page.slots[index] and stores it in
    // that slot. When the arena is full, nothing changes but a flush is due.
    void translate(DecodedPage& page, unsigned index, const Core& core);
    // The exit at `site` (Core::jit_exit_site) leads to page.slots[to], which
    // has a block: patches the exit to jump there directly.
    void link(DecodedPage& page, uint64_t site, unsigned to);
    // Called by a core between blocks (no translated code is running).
    bool flush_due() const { return flush_due_; }
    void flush(CodeCache& code);

    JitStats stats;

private:
    bool active_ = false;
    bool flush_due_ = false;
    unsigned chain_entry_ = 0; // where a block's code continues after its prologue
    CodeArena arena_;
};

} // namespace vmc::emu::jit
