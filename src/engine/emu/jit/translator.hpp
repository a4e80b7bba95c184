// The block translator: turns a run of decoded guest instructions into x86-64
// code. Fast forms of the integer, compare, CR-test branch and LR/CTR
// instructions become inline host instructions on the Core's fields; every
// other instruction is a call to the handler its slot already holds, after
// which the block leaves if the handler redirected execution (branch,
// interrupt, end_block). A block ends after its first branch or
// block-ending instruction, at the page end or after kMaxBlockLength
// instructions; a branch back to its own start loops inside the block while
// the instruction budget allows.
#pragma once

#include <cstdint>

#include "engine/emu/code_cache.hpp"
#include "engine/emu/jit/x86_emitter.hpp"

namespace vmc::emu {
class Core;
}

namespace vmc::emu::jit {

// Where the Core fields translated code touches lie, relative to the Core.
struct CoreLayout {
    int32_t gpr, cr, xer, lr, ctr, pc, npc, flow;
    static CoreLayout of(const Core& core);
};

// Emits the block starting at page.slots[first] as a BlockFn (System V ABI).
// Returns the number of guest instructions in one pass of it.
unsigned translate(const DecodedPage& page, unsigned first, const CoreLayout& layout,
                   X86Emitter& out);

} // namespace vmc::emu::jit
