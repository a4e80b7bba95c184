#include "engine/emu/jit/jit.hpp"

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
    unsigned length = jit::translate(page, index, CoreLayout::of(core), out);
    const uint8_t* entry = arena_.append(out.code());
    if (!entry) {
        flush_due_ = true;
        return;
    }
    DecodedSlot& slot = page.slots[index];
    slot.block = reinterpret_cast<BlockFn>(const_cast<uint8_t*>(entry));
    slot.block_length = static_cast<uint16_t>(length);
    ++stats.blocks;
    stats.guest_insns += length;
    stats.code_bytes += out.size();
}

void Jit::flush(CodeCache& code) {
    code.invalidate_all(); // every slot holding a block goes
    arena_.clear();
    flush_due_ = false;
    ++stats.flushes;
}

} // namespace vmc::emu::jit
