#include "engine/emu/code_cache.hpp"

#include <bit>
#include <cstring>

#include "engine/emu/byteswap.hpp"
#include "engine/emu/decode.hpp"

namespace vmc::emu {

CodeCache::CodeCache(vmm::GuestRam& ram)
    : ram_(ram), code_pages_((ram.size() + kPageSize - 1) >> kPageShift, 0) {
    ram_.set_write_observer(this);
}

CodeCache::~CodeCache() { ram_.set_write_observer(nullptr); }

DecodedPage* CodeCache::page(uint64_t pa_page) {
    ++stats.lookups;
    auto it = pages_.find(pa_page);
    if (it != pages_.end()) return it->second.get();
    ++stats.decodes;
    const uint8_t* host = ram_.contains(pa_page, kPageSize) ? ram_.host(pa_page) : nullptr;
    if (!host) return nullptr;
    auto page = std::make_unique<DecodedPage>();
    page->pa = pa_page;
    for (unsigned n = 0; n < kSlotsPerPage; ++n) {
        uint32_t word;
        std::memcpy(&word, host + 4 * n, 4);
        word = from_be(word);
        page->slots[n] = DecodedSlot{decode(word).handler, Insn{word}};
    }
    code_pages_[(pa_page - ram_.base()) >> kPageShift] = 1;
    ++code_epoch_;
    DecodedPage* result = page.get();
    pages_.emplace(pa_page, std::move(page));
    return result;
}

void CodeCache::invalidate(uint64_t pa, uint64_t len) {
    if (len == 0 || pa < ram_.base()) return;
    uint64_t first = (pa - ram_.base()) >> kPageShift;
    uint64_t last = (pa - ram_.base() + len - 1) >> kPageShift;
    for (uint64_t n = first; n <= last && n < code_pages_.size(); ++n) {
        if (!code_pages_[n]) continue;
        code_pages_[n] = 0;
        auto it = pages_.find(ram_.base() + (n << kPageShift));
        if (it != pages_.end()) {
            retired_.push_back(std::move(it->second));
            pages_.erase(it);
        }
        ++generation_;
    }
}

void CodeCache::invalidate_all() {
    for (auto& [pa, page] : pages_) retired_.push_back(std::move(page));
    pages_.clear();
    std::fill(code_pages_.begin(), code_pages_.end(), 0);
    ++generation_;
}

} // namespace vmc::emu
