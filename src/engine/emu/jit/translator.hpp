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
    int32_t exit_site;           // uint64_t: Core::jit_exit_site
    int32_t read_tlb, write_tlb; // arrays of {uint64_t tag; uint8_t* host}
    int32_t data_context;        // uint64_t: the low 12 bits of a soft-TLB tag
    int32_t data_fast;           // uint64_t: the statistics counter of soft-TLB hits
    uint32_t tlb_slots;          // entries in each array (a power of two)
    int32_t fetch_tlb;           // array of {uint64_t tag; DecodedPage* page}
    int32_t fetch_context;       // uint64_t: the low 12 bits of a fetch-TLB tag
    uint32_t fetch_slots;        // entries in the fetch TLB (a power of two)
    static CoreLayout of(const Core& core);
};

// An exit of a block to a fixed address in the same page is a link site:
//   site+0   jmp rel32          to site+kUnlinked, or to site+5 once linked
//   site+5   cmp r12, imm32     the budget a pass of the target needs (+ count)
//   site+12  jb rel32           not enough: the ordinary path
//   site+18  sub r12, count; add r14, count; add r13d, offset
//   site+39  jmp rel32          the target block's chain entry
//   site+44  the ordinary path: records the site in Core::jit_exit_site, exits
// The dispatch loop, seeing the site recorded and the target translated, has
// Jit::link patch it; from then on the exit jumps to the target directly.
namespace link_site {
constexpr unsigned kJump = 1;      // displacement of the first jmp
constexpr unsigned kBudget = 8;    // imm32 of the cmp
constexpr unsigned kCount = 21;    // imm32 of the sub: instructions retired by the exit
constexpr unsigned kTarget = 40;   // displacement of the jmp to the target
constexpr unsigned kUnlinked = 44; // the ordinary path
constexpr uint32_t kJumpUnlinked = kUnlinked - 5; // first jmp's displacement when unlinked
} // namespace link_site

struct Translation {
    unsigned length;      // guest instructions in one pass
    unsigned chain_entry; // offset of the entry other blocks jump to (after the prologue)
};

// Emits the block starting at page.slots[first] as a BlockFn (System V ABI).
Translation translate(const DecodedPage& page, unsigned first, const CoreLayout& layout,
                      X86Emitter& out);

} // namespace vmc::emu::jit
