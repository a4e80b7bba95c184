#include "engine/emu/jit/jit.hpp"

#include <cstring>

#include "engine/emu/jit/x86_emitter.hpp"

namespace vmc::emu::jit {

namespace {
constexpr bool kHostRunsX86_64 =
#if defined(__x86_64__)
    true;
#else
    false;
#endif
} // namespace

Jit::Jit(bool wanted, size_t arena_bytes) : arena_(wanted && kHostRunsX86_64 ? arena_bytes : 0) {
    active_ = wanted && kHostRunsX86_64 && arena_.ok();
}

void Jit::translate(DecodedPage& page, unsigned index, const Core& core) {
    if (!active_ || flush_due_) return;
    X86Emitter out;
    Translation t = jit::translate(page, index, CoreLayout::of(core), out);
    chain_entry_ = t.chain_entry; // the same for every block: the prologue is fixed
    const uint8_t* entry = arena_.append(out.code());
    if (!entry) {
        flush_due_ = true;
        return;
    }
    DecodedSlot& slot = page.slots[index];
    slot.block = reinterpret_cast<BlockFn>(const_cast<uint8_t*>(entry));
    slot.block_length = static_cast<uint16_t>(t.length);
    ++stats.blocks;
    stats.guest_insns += t.length;
    stats.code_bytes += out.size();
}

void Jit::link(DecodedPage& page, uint64_t site_address, unsigned to) {
    namespace ls = link_site;
    const DecodedSlot& target = page.slots[to];
    const auto* site = reinterpret_cast<const uint8_t*>(site_address);
    auto get = [](const uint8_t* at) {
        uint32_t value;
        std::memcpy(&value, at, 4);
        return value;
    };
    auto put = [](uint8_t* at, uint32_t value) { std::memcpy(at, &value, 4); };
    // A linked site also takes the ordinary path when the budget is short of
    // a pass of its target: it stays linked, nothing to do.
    if (get(site + ls::kJump) != ls::kJumpUnlinked) return;
    // Sites of blocks forgotten and translated again stay listed until their
    // target goes; past a bound, the page's links start over.
    if (page.links.size() >= kMaxLinksPerPage) {
        for (const BlockLink& link : page.links)
            put(link.patch, link.unlinked);
        page.links.clear();
    }
    uint8_t* w = arena_.writable(site);
    const uint32_t count = get(site + ls::kCount);
    const auto* entry = reinterpret_cast<const uint8_t*>(target.block) + chain_entry_;
    put(w + ls::kBudget, target.block_length + count);
    put(w + ls::kTarget, static_cast<uint32_t>(entry - (site + ls::kTarget + 4)));
    put(w + ls::kJump, 0); // the first jmp now falls through to the linked path
    page.links.push_back({static_cast<uint16_t>(to), w + ls::kJump, ls::kJumpUnlinked});
    ++stats.links;
}

void Jit::flush(CodeCache& code) {
    code.invalidate_all(); // every slot holding a block goes
    arena_.clear();
    flush_due_ = false;
    ++stats.flushes;
}

} // namespace vmc::emu::jit
