// The decoder: the instruction list folded into one flat table indexed by
// primary opcode and the 10-bit extended opcode, built at compile time.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "engine/emu/code_cache.hpp"
#include "engine/emu/insn.hpp"
#include "engine/emu/insn_list.hpp"

namespace vmc::emu {

enum InsnFlags : uint32_t {
    kEndsBlock = 1, // may change the flow or state the block loop caches
    kPriv = 2,      // privileged: program interrupt (PPR) from user mode
    kLoad = 4,
    kStore = 8,
    k64 = 16, // a 64-bit instruction: illegal on a 32-bit core
};

struct InsnInfo {
    const char* mnemonic;
    Handler handler;
    uint8_t primary;
    uint16_t xo;
    uint16_t xo_mask;
    uint32_t flags;
    const char* operands;
};

// Handlers, one per distinct name in the list.
#define VMC_DECLARE_HANDLER(mn, handler, ...) void handler(Core&, Insn);
VMC_INSTRUCTIONS(VMC_DECLARE_HANDLER)
#undef VMC_DECLARE_HANDLER
void illegal_insn(Core&, Insn);

// The entry for `raw`; the `illegal` entry (mnemonic "illegal") for unfilled slots.
const InsnInfo& decode(uint32_t raw);
std::span<const InsnInfo> instruction_list();
// The slot the code cache stores for `raw`: a fast handler with its operands
// extracted when `raw` is a common form (exec_fast.cpp), otherwise decode(raw)'s
// handler behind an adapter.
DecodedSlot decode_slot(uint32_t raw);
// The fast form of `raw`, if it has one: fills `slot` and returns true.
bool decode_fast(uint32_t raw, DecodedSlot& slot);
// "addi r3,r1,16" style text for traces.
std::string disassemble(uint32_t raw, uint32_t pc);

constexpr uint32_t decode_key(uint32_t raw) {
    return ((raw >> 26) << 10) | ((raw >> 1) & 0x3ff);
}

} // namespace vmc::emu
