#include "engine/emu/code_cache.hpp"

#include <algorithm>
#include <cstring>

#include "engine/emu/byteswap.hpp"
#include "engine/emu/decode.hpp"

namespace vmc::emu {

CodeCache::CodeCache(vmm::GuestRam& ram)
    : ram_(ram), pages_((ram.size() + kPageSize - 1) >> kPageShift) {
    ram_.set_write_observer(this);
}

CodeCache::~CodeCache() {
    ram_.set_write_observer(nullptr);
}

void CodeCache::decode_words(DecodedPage& page, unsigned first, unsigned count) const {
    const uint8_t* host = ram_.host(page.pa);
    for (unsigned n = first; n < first + count; ++n) {
        uint32_t word;
        std::memcpy(&word, host + 4 * n, 4);
        word = from_be(word);
        page.slots[n] = decode_slot(word);
    }
}

bool CodeCache::forget_blocks(DecodedPage& page, unsigned first, unsigned last) {
    bool forgot = false;
    unsigned from = first >= kMaxBlockLength ? first - kMaxBlockLength + 1 : 0;
    for (unsigned n = from; n <= last; ++n) {
        DecodedSlot& s = page.slots[n];
        if (s.block && n + s.block_length > first) {
            s.block = nullptr;
            s.block_length = 0;
            forgot = true;
        }
    }
    if (!forgot) return false;
    // Exits that jumped straight into a forgotten block take their ordinary path again.
    std::erase_if(page.links, [&](const BlockLink& link) {
        if (page.slots[link.to].block) return false;
        std::memcpy(link.patch, &link.unlinked, sizeof link.unlinked);
        return true;
    });
    return true;
}

DecodedPage* CodeCache::page(uint64_t pa_page) {
    ++stats.lookups;
    uint64_t off = pa_page - ram_.base();
    if (pa_page < ram_.base() || off >= ram_.size() || !ram_.contains(pa_page, kPageSize))
        return nullptr;
    auto& slot = pages_[off >> kPageShift];
    if (slot) return slot.get();
    ++stats.decodes;
    // Every slot is written by decode_words: no need to zero the page first.
    slot.reset(new DecodedPage);
    slot->pa = pa_page;
    decode_words(*slot, 0, kSlotsPerPage);
    ++code_epoch_;
    return slot.get();
}

bool CodeCache::invalidate(uint64_t pa, uint64_t len) {
    if (len == 0 || pa < ram_.base()) return false;
    bool ends_block = false;
    uint64_t start = pa - ram_.base();
    uint64_t end = std::min<uint64_t>(start + len, ram_.size()); // exclusive
    for (uint64_t n = start >> kPageShift; (n << kPageShift) < end; ++n) {
        auto& slot = pages_[n];
        if (!slot) continue;
        uint64_t page_start = n << kPageShift;
        uint64_t from = std::max(start, page_start), to = std::min(end, page_start + kPageSize);
        if ((from == page_start && to == page_start + kPageSize) ||
            ++slot->stores_since_run >= kStoresBeforeDrop) {
            retired_.push_back(std::move(slot));
            ++generation_;
            ++stats.drops;
            ends_block = true;
            continue;
        }
        // Words overlapping [from, to): a partial word write changes the whole instruction.
        unsigned first = static_cast<unsigned>((from - page_start) >> 2);
        unsigned last = static_cast<unsigned>((to - page_start - 1) >> 2);
        if (forget_blocks(*slot, first, last)) ends_block = true;
        decode_words(*slot, first, last - first + 1);
    }
    return ends_block;
}

void CodeCache::invalidate_all() {
    for (auto& slot : pages_)
        if (slot) retired_.push_back(std::move(slot));
    ++generation_;
}

} // namespace vmc::emu
