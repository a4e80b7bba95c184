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

// Where the Core fields translated code touches lie, relative to the Core,
// and the shape of its soft TLB for loads and stores.
struct CoreLayout {
    int32_t gpr, cr, xer, lr, ctr, pc, npc, flow;
    int32_t read_tlb, write_tlb; // arrays of {uint64_t tag; uint8_t* host}
    int32_t data_context;        // uint64_t: the low half of a soft-TLB tag
    int32_t data_fast;           // uint64_t: the statistics counter of soft-TLB hits
    uint32_t tlb_slots;          // entries in each array (a power of two)
    static CoreLayout of(const Core& core);
};

// Emits the block starting at page.slots[first] as a BlockFn (System V ABI).
// Returns the number of guest instructions in one pass of it.
unsigned translate(const DecodedPage& page, unsigned first, const CoreLayout& layout,
                   X86Emitter& out);

} // namespace vmc::emu::jit
