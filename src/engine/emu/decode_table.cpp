#include <array>

#include "engine/emu/decode.hpp"

namespace vmc::emu {
namespace {

// Entry 0 is the illegal instruction: every slot no line claims points at it.
#define VMC_ENTRY(mn, handler, primary, xo, mask, flags, ops)                                      \
    InsnInfo{mn, &handler, primary, xo, mask, flags, ops},
constexpr InsnInfo kList[] = {InsnInfo{"illegal", &illegal_insn, 0, 0, 0, 0, ""},
                              VMC_INSTRUCTIONS(VMC_ENTRY)};
#undef VMC_ENTRY
constexpr size_t kCount = sizeof(kList) / sizeof(kList[0]);
static_assert(kCount < 65536);

constexpr unsigned kTableSize = 64 * 1024;

// Number of slots that two lines both claim; must be zero.
constexpr unsigned count_collisions() {
    std::array<uint16_t, kTableSize> t{};
    unsigned collisions = 0;
    for (size_t e = 1; e < kCount; ++e)
        for (unsigned x = 0; x < 1024; ++x)
            if ((x & kList[e].xo_mask) == kList[e].xo) {
                unsigned k = (kList[e].primary << 10) | x;
                if (t[k] != 0) ++collisions;
                t[k] = static_cast<uint16_t>(e);
            }
    return collisions;
}
static_assert(count_collisions() == 0, "two instruction-list lines claim the same opcode");

constexpr bool patterns_well_formed() {
    for (size_t e = 1; e < kCount; ++e)
        if ((kList[e].xo & ~kList[e].xo_mask) != 0 || kList[e].primary >= 64) return false;
    return true;
}
static_assert(patterns_well_formed(), "an xo has bits outside its mask");

constexpr std::array<uint16_t, kTableSize> build_table() {
    std::array<uint16_t, kTableSize> t{};
    for (size_t e = 1; e < kCount; ++e)
        for (unsigned x = 0; x < 1024; ++x)
            if ((x & kList[e].xo_mask) == kList[e].xo)
                t[(kList[e].primary << 10) | x] = static_cast<uint16_t>(e);
    return t;
}
constexpr std::array<uint16_t, kTableSize> kTable = build_table();

// The dispatch loop calls every slot with the slot itself; a generic handler
// gets the instruction word through this adapter (a load and a jump).
template <Handler H> void call_generic(Core& c, const DecodedSlot& s) {
    H(c, s.insn);
}

#define VMC_ADAPTER(mn, handler, ...) &call_generic<&handler>,
constexpr SlotFn kAdapters[] = {&call_generic<&illegal_insn>, VMC_INSTRUCTIONS(VMC_ADAPTER)};
#undef VMC_ADAPTER
static_assert(sizeof(kAdapters) / sizeof(kAdapters[0]) == kCount);

} // namespace

const InsnInfo& decode(uint32_t raw) {
    return kList[kTable[decode_key(raw)]];
}

DecodedSlot decode_slot(uint32_t raw) {
    DecodedSlot slot{kAdapters[kTable[decode_key(raw)]], Insn{raw}, 0, 0, 0, FastOp::none, 0};
    decode_fast(raw, slot);
    return slot;
}

std::span<const InsnInfo> instruction_list() {
    return {kList + 1, kCount - 1};
}

} // namespace vmc::emu
