// Decoded guest code, one 4 KiB guest-physical page at a time. Every slot
// holds the handler and the instruction word, so the dispatch loop never
// decodes twice. Pages are dropped when the guest writes them (stores
// through the core's slow path, icbi, device DMA through GuestRam's write
// observer); dropped pages stay alive until the next block boundary because
// the block that wrote them may still be running from them.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "engine/emu/core_stats.hpp"
#include "engine/emu/insn.hpp"
#include "vmm/guest_ram.hpp"

namespace vmc::emu {

class Core;
using Handler = void (*)(Core&, Insn);

struct DecodedSlot {
    Handler fn;
    Insn insn;
};

constexpr unsigned kPageShift = 12;
constexpr uint32_t kPageSize = 1u << kPageShift;
constexpr unsigned kSlotsPerPage = kPageSize / 4;

struct DecodedPage {
    uint64_t pa = 0;
    DecodedSlot slots[kSlotsPerPage];
};

class CodeCache : public vmm::RamWriteObserver {
public:
    explicit CodeCache(vmm::GuestRam& ram);
    ~CodeCache() override;
    CodeCache(const CodeCache&) = delete;
    CodeCache& operator=(const CodeCache&) = delete;

    // The decoded page at guest-physical page address `pa_page` (RAM only), decoding it
    // on first use. Null when the page is not RAM.
    DecodedPage* page(uint64_t pa_page);

    // True when [pa, pa+len) overlaps a page that holds decoded code.
    bool has_code(uint64_t pa) const {
        uint64_t off = pa - ram_.base();
        return off < ram_.size() && code_pages_[off >> kPageShift];
    }
    // Drops every decoded page overlapping [pa, pa+len).
    void invalidate(uint64_t pa, uint64_t len);
    void invalidate_all();
    // Frees pages dropped since the last call; only at a block boundary.
    void release_retired() { retired_.clear(); }

    // Moves whenever a page is dropped: cores then forget cached page pointers.
    uint64_t generation() const { return generation_; }
    // Moves whenever a page becomes code: cores drop write fast paths to it.
    uint64_t code_epoch() const { return code_epoch_; }

    void ram_written(uint64_t gpa, uint64_t len) override { invalidate(gpa, len); }

    CodeStats stats;

private:
    vmm::GuestRam& ram_;
    std::vector<uint8_t> code_pages_; // one flag per RAM page
    std::unordered_map<uint64_t, std::unique_ptr<DecodedPage>> pages_;
    std::vector<std::unique_ptr<DecodedPage>> retired_;
    uint64_t generation_ = 0;
    uint64_t code_epoch_ = 0;
};

} // namespace vmc::emu
