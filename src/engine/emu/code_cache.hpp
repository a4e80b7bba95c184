// Decoded guest code, one 4 KiB guest-physical page at a time. Every slot
// holds the handler, the instruction word and, for the fast forms, the
// operands already extracted, so the dispatch loop never decodes twice. A guest store into a
// decoded page re-decodes just the words it wrote (the page stays, so data sharing a page with code
// costs a few decodes, not the page); a write covering a whole page (device DMA, a loader) drops
// the page. Dropped pages stay alive until the next block boundary because the block that wrote
// them may still be running from them.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/emu/core_stats.hpp"
#include "engine/emu/insn.hpp"
#include "vmm/guest_ram.hpp"

namespace vmc::emu {

class Core;
struct DecodedSlot;
// A handler of the instruction list: sees the instruction word only.
using Handler = void (*)(Core&, Insn);
// What the dispatch loop calls: a generic handler behind a one-jump adapter,
// or a fast handler that reads operands the decoder already extracted.
using SlotFn = void (*)(Core&, const DecodedSlot&);

// Which fast handler a slot holds, so the block translator (jit/) can emit
// the operation itself; `none` for generic handlers.
enum class FastOp : uint8_t {
    none,
    load_imm,
    add_imm,
    or_imm,
    xor_imm,
    and_imm_record,
    mul_imm,
    move_reg,
    add_reg,
    subf_reg,
    mul_reg,
    and_reg,
    andc_reg,
    or_reg,
    xor_reg,
    nor_reg,
    rotate_mask,
    rotate_mask_record,
    cmp_signed_imm,
    cmp_unsigned_imm,
    cmp_signed_reg,
    cmp_unsigned_reg,
    branch_rel,
    branch_rel_link,
    branch_ctr_nonzero,
    branch_cr,
    branch_lr,
    branch_lr_link,
    branch_ctr,
    branch_ctr_link,
    move_from_lr,
    move_from_ctr,
    move_to_lr,
    move_to_ctr,
    read_tbl,
    read_tbu,
    // Loads and stores (byte, halfword or word: the opcode says which):
    // D-form, D-form with RA=0, with update, X-form.
    load_d,
    load_abs,
    load_du,
    load_x,
    store_d,
    store_abs,
    store_du,
    store_x,
};

// Host code translated from the guest instructions starting at a slot: runs
// them for `core` (at most `left` instructions, looping while it may), leaves
// the next guest pc in core.pc and returns the number it retired.
using BlockFn = uint64_t (*)(Core* core, uint64_t left);

// One decoded instruction. Fast handlers find their register numbers and
// their immediate (sign-extended, pre-shifted, a rotate mask, a branch
// displacement...) here instead of extracting fields at run time; what each
// field means is up to the handler the decoder picked (exec_fast.cpp).
// 32 bytes, so slot arithmetic in the dispatch loop is shifts.
struct alignas(32) DecodedSlot {
    SlotFn fn;
    Insn insn;          // the instruction word (generic handlers, traces)
    uint8_t r0, r1, r2; // operand register numbers (or CR bit / field numbers)
    FastOp op = FastOp::none;
    uint32_t imm;
    // Block starts here so far: the translator takes a slot once it is hot.
    uint16_t heat = 0;
    // The translated block starting here (null: none): how many guest
    // instructions one pass of it runs at most, and its entry.
    uint16_t block_length = 0;
    BlockFn block = nullptr;
};
static_assert(sizeof(DecodedSlot) == 32);

constexpr unsigned kPageShift = 12;
constexpr uint32_t kPageSize = 1u << kPageShift;
constexpr unsigned kSlotsPerPage = kPageSize / 4;
// The most guest instructions one translated block covers (jit/).
constexpr unsigned kMaxBlockLength = 64;

// A patched jump from an exit of one translated block straight into the
// block at slot `to` of the same page (jit/Jit::link). Forgetting that block
// restores the exit: `patch` is the jump's writable displacement, `unlinked`
// the value that sends it to the exit's ordinary path.
struct BlockLink {
    uint16_t to;
    uint8_t* patch;
    uint32_t unlinked;
};

struct DecodedPage {
    uint64_t pa;
    std::vector<BlockLink> links;
    // Guest stores into the page since a core last entered it (the dispatch
    // loop clears it at every block start and page change): a page that only
    // ever receives stores is data now (Linux reuses freed code pages), and
    // is dropped so stores to it take the soft-TLB fast path again.
    uint32_t stores_since_run = 0;
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

    // True when the RAM page holding `pa` has decoded code.
    bool has_code(uint64_t pa) const {
        uint64_t off = pa - ram_.base();
        return off < ram_.size() && pages_[off >> kPageShift];
    }
    // Guest memory [pa, pa+len) changed: decoded pages overlapping it are
    // brought up to date (the written words re-decoded and the translated
    // blocks covering them forgotten, or the page dropped when the write
    // covers all of it or it has taken kStoresBeforeDrop stores without being
    // run). Returns true when a page was dropped or a block forgotten: a block
    // running from it must end.
    bool invalidate(uint64_t pa, uint64_t len);
    static constexpr uint32_t kStoresBeforeDrop = 256;
    void invalidate_all();
    // Frees pages dropped since the last call; only at a block boundary.
    void release_retired() {
        if (!retired_.empty()) retired_.clear();
    }

    // Moves whenever a page is dropped: cores then forget cached page pointers.
    uint64_t generation() const { return generation_; }
    // Moves whenever a page becomes code: cores drop write fast paths to it.
    uint64_t code_epoch() const { return code_epoch_; }

    void ram_written(uint64_t gpa, uint64_t len) override { (void)invalidate(gpa, len); }

    CodeStats stats;

private:
    void decode_words(DecodedPage& page, unsigned first, unsigned count) const;
    // Clears the translated blocks that cover any of words [first, last].
    static bool forget_blocks(DecodedPage& page, unsigned first, unsigned last);

    vmm::GuestRam& ram_;
    std::vector<std::unique_ptr<DecodedPage>> pages_; // one per RAM page, null until executed
    std::vector<std::unique_ptr<DecodedPage>> retired_;
    uint64_t generation_ = 0;
    uint64_t code_epoch_ = 0;
};

} // namespace vmc::emu
