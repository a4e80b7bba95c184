#include "engine/emu/jit/translator.hpp"

#include <bit>
#include <cstddef>
#include <stdexcept>
#include <utility>
#include <vector>

#include "engine/emu/core.hpp"
#include "engine/emu/decode.hpp"

namespace vmc::emu::jit {

CoreLayout CoreLayout::of(const Core& c) {
    auto at = [&](const void* field) {
        return static_cast<int32_t>(static_cast<const char*>(field) -
                                    reinterpret_cast<const char*>(&c));
    };
    static_assert(sizeof(Core::TlbSlot) == 16 && offsetof(Core::TlbSlot, host) == 8);
    static_assert(sizeof(Core::FetchSlot) == 16 && offsetof(Core::FetchSlot, page) == 8);
    static_assert(std::has_single_bit(Core::kTlbSlots) && std::has_single_bit(Core::kFetchSlots));
    return {at(&c.gpr[0]),
            at(&c.cr),
            at(&c.xer),
            at(&c.lr),
            at(&c.ctr),
            at(&c.pc),
            at(&c.npc),
            at(&c.flow),
            at(&c.jit_exit_site),
            at(&c.rtlb_[0]),
            at(&c.wtlb_[0]),
            at(&c.dctx_),
            at(&c.stats.data_fast),
            Core::kTlbSlots,
            at(&c.itlb_[0]),
            at(&c.ictx_),
            Core::kFetchSlots};
}

namespace {

// Registers of a block's frame (callee-saved, so handler calls keep them).
constexpr Reg kCore = Reg::bx;     // the Core
constexpr Reg kLeft = Reg::r12;    // instruction budget left at the start of this pass
constexpr Reg kStartPc = Reg::r13; // guest address of the block's first instruction
constexpr Reg kRetired = Reg::r14; // instructions retired by earlier passes

bool is_branch(FastOp op) {
    switch (op) {
    case FastOp::branch_rel:
    case FastOp::branch_rel_link:
    case FastOp::branch_ctr_nonzero:
    case FastOp::branch_cr:
    case FastOp::branch_lr:
    case FastOp::branch_lr_link:
    case FastOp::branch_ctr:
    case FastOp::branch_ctr_link:
        return true;
    default:
        return false;
    }
}

class BlockWriter {
public:
    BlockWriter(const DecodedPage& page, unsigned first, const CoreLayout& layout, X86Emitter& e)
        : page_(page), first_(first), l_(layout), e_(e) {}

    Translation write() {
        length_ = block_length();
        prologue();
        for (unsigned k = 0; k < length_; ++k)
            instruction(k, page_.slots[first_ + k]);
        const DecodedSlot& last = page_.slots[first_ + length_ - 1];
        if (!is_branch(last.op))
            exit_at_pc(4 * static_cast<int32_t>(length_), length_); // fell off the end
        stubs();
        return {length_, static_cast<unsigned>(loop_start_)};
    }

private:
    // Translated code runs only on 32-bit cores (Core::run_block): it works
    // on the low word of each 64-bit register, whose upper half stays zero.
    Mem gpr(unsigned r) const {
        return {kCore, l_.gpr + static_cast<int32_t>(sizeof(uint64_t) * r)};
    }
    Mem field(int32_t offset) const { return {kCore, offset}; }

    unsigned block_length() const {
        unsigned n = 0;
        while (first_ + n < kSlotsPerPage && n < kMaxBlockLength) {
            const DecodedSlot& s = page_.slots[first_ + n++];
            if (is_branch(s.op)) break;
            if (s.op == FastOp::none && (decode(s.insn.raw).flags & kEndsBlock)) break;
        }
        return n;
    }

    void prologue() {
        // Five pushes (r15 only for the count): the stack is 16-byte aligned
        // again for handler calls.
        for (Reg r : {Reg::bx, Reg::r12, Reg::r13, Reg::r14, Reg::r15})
            e_.push(r);
        e_.mov64(kCore, Reg::di);
        e_.mov64(kLeft, Reg::si);
        e_.mov(kStartPc, field(l_.pc));
        e_.mov(kRetired, 0u); // zero-extends: the whole register is 0
        loop_start_ = e_.size();
    }

    // Leaves with core.pc = start + offset and `count` more instructions
    // retired: through a link site when start + offset is in the same page,
    // through the fetch TLB when it is in another.
    void exit_at_pc(int32_t offset, unsigned count) {
        int32_t target_slot = static_cast<int32_t>(first_) + offset / 4;
        bool same_page = target_slot >= 0 && target_slot < static_cast<int32_t>(kSlotsPerPage);
        if (same_page) link_site(offset, count);
        e_.lea(Reg::ax, {kStartPc, offset});
        if (same_page)
            exit_with_pc_in_eax(count);
        else
            dispatch(count);
    }

    // Compares the entry of a Core TLB array (16-byte {tag, pointer} entries,
    // `slots` of them) for the address in `address` with the tag that address
    // needs in `context` (Core::tag): ZF set on a hit. Leaves rcx = the
    // entry's offset in the array; clobbers rdx.
    void tlb_lookup(Reg address, int32_t table, uint32_t slots, int32_t context) {
        e_.mov(Reg::cx, address);
        e_.shift(Shift::shr, Reg::cx, kPageShift);
        e_.alu(Alu::and_, Reg::cx, slots - 1);
        e_.shift(Shift::shl, Reg::cx, 4);
        e_.mov(Reg::dx, address);
        e_.alu(Alu::and_, Reg::dx, ~(kPageSize - 1)); // 32-bit: zero-extends
        e_.alu64(Alu::or_, Reg::dx, field(context));
        e_.alu64(Alu::cmp, Reg::dx, Mem{kCore, table, Reg::cx});
    }

    // A branch to the address in eax whose block is found at run time (blr,
    // bctr, a branch to another page): when the fetch TLB holds the target's
    // page for the current context and the slot there has a block the budget
    // holds, continue in that block, as the dispatch loop would; otherwise
    // leave to it. A page the fetch TLB holds is alive (the dispatch loop
    // releases dropped pages only after the TLB has forgotten them).
    void dispatch(unsigned count) {
        const auto c = static_cast<int32_t>(count);
        const auto* page = reinterpret_cast<const char*>(&page_);
        const auto slots = static_cast<int32_t>(reinterpret_cast<const char*>(page_.slots) - page);
        const auto stores =
            static_cast<int32_t>(reinterpret_cast<const char*>(&page_.stores_since_run) - page);
        tlb_lookup(Reg::ax, l_.fetch_tlb, l_.fetch_slots, l_.fetch_context);
        const size_t tlb_miss = e_.jcc(Cond::ne);
        e_.mov64(Reg::dx, Mem{kCore, l_.fetch_tlb + 8, Reg::cx}); // the DecodedPage
        e_.mov(Reg::cx, Reg::ax);
        e_.alu(Alu::and_, Reg::cx, kPageSize - 4);
        e_.shift(Shift::shl, Reg::cx, 3); // word index * sizeof(DecodedSlot)
        static_assert(sizeof(DecodedSlot) == 32);
        e_.mov64(Reg::si,
                 Mem{Reg::dx, slots + static_cast<int32_t>(offsetof(DecodedSlot, block)), Reg::cx});
        e_.alu64(Alu::cmp, Reg::si, 0);
        const size_t no_block = e_.jcc(Cond::e);
        e_.movzx16(Reg::di,
                   Mem{Reg::dx, slots + static_cast<int32_t>(offsetof(DecodedSlot, block_length)),
                       Reg::cx});
        e_.alu64(Alu::sub, kLeft, c);
        e_.alu64(Alu::add, kRetired, c);
        e_.alu64(Alu::cmp, kLeft, Reg::di);
        const size_t short_budget = e_.jcc(Cond::b);
        e_.mov(Mem{Reg::dx, stores}, 0u); // the page runs: it is code, not data
        e_.mov(kStartPc, Reg::ax);        // 32-bit: zero-extends
        e_.lea64(Reg::si, {Reg::si, static_cast<int32_t>(loop_start_)});
        e_.jmp(Reg::si);
        e_.bind(short_budget);
        e_.alu64(Alu::add, kLeft, c);
        e_.alu64(Alu::sub, kRetired, c);
        e_.bind(tlb_miss);
        e_.bind(no_block);
        exit_with_pc_in_eax(count);
    }

    // The patchable part of a link site (layout in translator.hpp); the
    // ordinary exit follows it.
    void link_site(int32_t offset, unsigned count) {
        namespace ls = link_site;
        const size_t site = e_.size();
        const size_t to_unlinked = e_.jmp();
        e_.alu64(Alu::cmp, kLeft, 0); // patched: the target's pass length + count
        const size_t short_budget = e_.jcc(Cond::b);
        e_.alu64(Alu::sub, kLeft, static_cast<int32_t>(count));
        e_.alu64(Alu::add, kRetired, static_cast<int32_t>(count));
        e_.alu(Alu::add, kStartPc, static_cast<uint32_t>(offset)); // 32-bit: zero-extends
        const size_t to_target = e_.jmp();                         // patched
        e_.bind(to_unlinked);
        e_.bind(short_budget);
        if (to_unlinked != site + ls::kJump || to_target != site + ls::kTarget ||
            e_.size() != site + ls::kUnlinked)
            throw std::logic_error("block translator: link site layout");
        e_.lea_rip(Reg::cx, site);
        e_.mov64(field(l_.exit_site), Reg::cx);
    }
    void exit_with_pc_in_eax(unsigned count) {
        e_.mov(field(l_.pc), Reg::ax);
        e_.lea64(Reg::ax, {kRetired, static_cast<int32_t>(count)});
        epilogue_jumps_.push_back(e_.jmp());
    }

    // A taken branch to start + offset by instruction k.
    void take_branch(unsigned k, int32_t offset) {
        if (offset != 0) return exit_at_pc(offset, k + 1);
        // Back to the block's own start: another pass while the budget holds one.
        e_.alu64(Alu::add, kRetired, static_cast<int32_t>(k + 1));
        e_.alu64(Alu::sub, kLeft, static_cast<int32_t>(k + 1));
        e_.alu64(Alu::cmp, kLeft, static_cast<int32_t>(length_));
        e_.jcc_back(Cond::ae, loop_start_);
        e_.mov(field(l_.pc), kStartPc);
        e_.lea64(Reg::ax, {kRetired, 0});
        epilogue_jumps_.push_back(e_.jmp());
    }

    // CR field `f` from the host flags of a compare (signed or unsigned), with
    // XER[SO] as its fourth bit. Clobbers eax, ecx, edx.
    void cr_field_from_flags(unsigned f, bool is_signed) {
        e_.setcc(is_signed ? Cond::l : Cond::b, Reg::ax);
        e_.setcc(is_signed ? Cond::g : Cond::a, Reg::cx);
        e_.setcc(Cond::e, Reg::dx);
        e_.movzx8(Reg::ax, Reg::ax);
        e_.movzx8(Reg::cx, Reg::cx);
        e_.movzx8(Reg::dx, Reg::dx);
        e_.shift(Shift::shl, Reg::ax, 3);
        e_.shift(Shift::shl, Reg::cx, 2);
        e_.alu(Alu::add, Reg::dx, Reg::dx);
        e_.alu(Alu::or_, Reg::ax, Reg::cx);
        e_.alu(Alu::or_, Reg::ax, Reg::dx);
        e_.mov(Reg::cx, field(l_.xer));
        e_.shift(Shift::shr, Reg::cx, 31);
        e_.alu(Alu::or_, Reg::ax, Reg::cx);
        unsigned shift = 28 - 4 * f;
        if (shift) e_.shift(Shift::shl, Reg::ax, static_cast<uint8_t>(shift));
        e_.mov(Reg::cx, field(l_.cr));
        e_.alu(Alu::and_, Reg::cx, ~(0xfu << shift));
        e_.alu(Alu::or_, Reg::cx, Reg::ax);
        e_.mov(field(l_.cr), Reg::cx);
    }

    // result = gpr[a] OP gpr[b] (or OP imm), stored to gpr[d].
    void binary(Alu op, unsigned d, unsigned a, unsigned b) {
        e_.mov(Reg::ax, gpr(a));
        e_.alu(op, Reg::ax, gpr(b));
        e_.mov(gpr(d), Reg::ax);
    }
    void binary_imm(Alu op, unsigned d, unsigned a, uint32_t imm) {
        e_.mov(Reg::ax, gpr(a));
        e_.alu(op, Reg::ax, imm);
        e_.mov(gpr(d), Reg::ax);
    }
    // CR0 from the result in eax (signed compare with 0).
    void record_eax() {
        e_.test(Reg::ax, Reg::ax);
        cr_field_from_flags(0, true);
    }

    void instruction(unsigned k, const DecodedSlot& s) {
        const int32_t here = 4 * static_cast<int32_t>(k);
        switch (s.op) {
        case FastOp::load_imm:
            return e_.mov(gpr(s.r0), s.imm);
        case FastOp::add_imm:
            return binary_imm(Alu::add, s.r0, s.r1, s.imm);
        case FastOp::or_imm:
            return binary_imm(Alu::or_, s.r0, s.r1, s.imm);
        case FastOp::xor_imm:
            return binary_imm(Alu::xor_, s.r0, s.r1, s.imm);
        case FastOp::and_imm_record:
            binary_imm(Alu::and_, s.r0, s.r1, s.imm);
            return record_eax();
        case FastOp::mul_imm:
            e_.imul(Reg::ax, gpr(s.r1), s.imm);
            return e_.mov(gpr(s.r0), Reg::ax);
        case FastOp::move_reg:
            e_.mov(Reg::ax, gpr(s.r1));
            return e_.mov(gpr(s.r0), Reg::ax);
        case FastOp::add_reg:
            return binary(Alu::add, s.r0, s.r1, s.r2);
        case FastOp::subf_reg: // rD = rB - rA
            return binary(Alu::sub, s.r0, s.r2, s.r1);
        case FastOp::mul_reg:
            e_.mov(Reg::ax, gpr(s.r1));
            e_.imul(Reg::ax, gpr(s.r2));
            return e_.mov(gpr(s.r0), Reg::ax);
        case FastOp::and_reg:
            return binary(Alu::and_, s.r0, s.r1, s.r2);
        case FastOp::andc_reg:
            e_.mov(Reg::cx, gpr(s.r2));
            e_.not_(Reg::cx);
            e_.mov(Reg::ax, gpr(s.r1));
            e_.alu(Alu::and_, Reg::ax, Reg::cx);
            return e_.mov(gpr(s.r0), Reg::ax);
        case FastOp::or_reg:
            return binary(Alu::or_, s.r0, s.r1, s.r2);
        case FastOp::xor_reg:
            return binary(Alu::xor_, s.r0, s.r1, s.r2);
        case FastOp::nor_reg:
            e_.mov(Reg::ax, gpr(s.r1));
            e_.alu(Alu::or_, Reg::ax, gpr(s.r2));
            e_.not_(Reg::ax);
            return e_.mov(gpr(s.r0), Reg::ax);
        case FastOp::rotate_mask:
        case FastOp::rotate_mask_record:
            e_.mov(Reg::ax, gpr(s.r1));
            if (s.r2) e_.shift(Shift::rol, Reg::ax, s.r2);
            if (s.imm != ~0u) e_.alu(Alu::and_, Reg::ax, s.imm);
            e_.mov(gpr(s.r0), Reg::ax);
            if (s.op == FastOp::rotate_mask_record) record_eax();
            return;
        case FastOp::cmp_signed_imm:
        case FastOp::cmp_unsigned_imm:
            e_.mov(Reg::ax, gpr(s.r1));
            e_.alu(Alu::cmp, Reg::ax, s.imm);
            return cr_field_from_flags(s.r0, s.op == FastOp::cmp_signed_imm);
        case FastOp::cmp_signed_reg:
        case FastOp::cmp_unsigned_reg:
            e_.mov(Reg::ax, gpr(s.r1));
            e_.alu(Alu::cmp, Reg::ax, gpr(s.r2));
            return cr_field_from_flags(s.r0, s.op == FastOp::cmp_signed_reg);
        case FastOp::move_from_lr:
            e_.mov(Reg::ax, field(l_.lr));
            return e_.mov(gpr(s.r0), Reg::ax);
        case FastOp::move_from_ctr:
            e_.mov(Reg::ax, field(l_.ctr));
            return e_.mov(gpr(s.r0), Reg::ax);
        case FastOp::move_to_lr:
            e_.mov(Reg::ax, gpr(s.r0));
            return e_.mov(field(l_.lr), Reg::ax);
        case FastOp::move_to_ctr:
            e_.mov(Reg::ax, gpr(s.r0));
            return e_.mov(field(l_.ctr), Reg::ax);
        case FastOp::branch_rel:
            return take_branch(k, here + static_cast<int32_t>(s.imm));
        case FastOp::branch_rel_link:
            e_.lea(Reg::ax, {kStartPc, here + 4});
            e_.mov(field(l_.lr), Reg::ax);
            return take_branch(k, here + static_cast<int32_t>(s.imm));
        case FastOp::branch_ctr_nonzero: {
            e_.alu(Alu::sub, field(l_.ctr), 1u);
            size_t not_taken = e_.jcc(Cond::e);
            take_branch(k, here + static_cast<int32_t>(s.imm));
            e_.bind(not_taken);
            return exit_at_pc(here + 4, k + 1);
        }
        case FastOp::branch_cr: {
            e_.test(field(l_.cr), 1u << s.r0);
            size_t not_taken = e_.jcc(s.r1 ? Cond::e : Cond::ne);
            take_branch(k, here + static_cast<int32_t>(s.imm));
            e_.bind(not_taken);
            return exit_at_pc(here + 4, k + 1);
        }
        case FastOp::branch_lr:
        case FastOp::branch_ctr:
            e_.mov(Reg::ax, field(s.op == FastOp::branch_lr ? l_.lr : l_.ctr));
            e_.alu(Alu::and_, Reg::ax, ~3u);
            return dispatch(k + 1);
        case FastOp::branch_lr_link:
        case FastOp::branch_ctr_link:
            // The target is read before the link overwrites LR.
            e_.mov(Reg::ax, field(s.op == FastOp::branch_lr_link ? l_.lr : l_.ctr));
            e_.alu(Alu::and_, Reg::ax, ~3u);
            e_.lea(Reg::cx, {kStartPc, here + 4});
            e_.mov(field(l_.lr), Reg::cx);
            return dispatch(k + 1);
        case FastOp::load_d:
        case FastOp::load_abs:
        case FastOp::load_du:
        case FastOp::load_x:
        case FastOp::store_d:
        case FastOp::store_abs:
        case FastOp::store_du:
        case FastOp::store_x:
            return memory_access(k, s);
        default:
            return call_handler(k, s);
        }
    }

    // A load or store whose page the soft TLB holds runs inline: the same
    // tag check, page-crossing check and byte swap as Core::load_fast /
    // store_fast. Anything else (a miss, a page crossing, MMIO, a fault)
    // goes to the slot's handler out of line, which does the whole access.
    void memory_access(unsigned k, const DecodedSlot& s) {
        const auto [mode, store] = addressing_of(s.op);
        const unsigned size = access_size(s.insn);
        // The effective address, kept in esi for the update form.
        if (mode == FastOp::load_abs) {
            e_.mov(Reg::si, s.imm);
        } else {
            e_.mov(Reg::si, gpr(s.r1));
            if (mode == FastOp::load_x)
                e_.alu(Alu::add, Reg::si, gpr(s.r2));
            else if (s.imm)
                e_.alu(Alu::add, Reg::si, s.imm);
        }
        const int32_t tlb = store ? l_.write_tlb : l_.read_tlb;
        tlb_lookup(Reg::si, tlb, l_.tlb_slots, l_.data_context);
        SlowPath slow{k, &s, {e_.jcc(Cond::ne)}, 0};
        e_.mov(Reg::dx, Reg::si);
        e_.alu(Alu::and_, Reg::dx, kPageSize - 1);
        if (size > 1) {
            e_.alu(Alu::cmp, Reg::dx, kPageSize - size);
            slow.jumps.push_back(e_.jcc(Cond::a));
        }
        e_.mov64(Reg::cx, Mem{kCore, tlb + 8, Reg::cx}); // the host page
        const Mem host{Reg::cx, 0, Reg::dx};
        if (store) {
            e_.mov(Reg::ax, gpr(s.r0));
            if (size == 4) {
                e_.bswap(Reg::ax);
                e_.mov(host, Reg::ax);
            } else if (size == 2) {
                e_.rol16(Reg::ax, 8);
                e_.mov16(host, Reg::ax);
            } else {
                e_.mov8(host, Reg::ax);
            }
        } else {
            if (size == 4) {
                e_.mov(Reg::ax, host);
                e_.bswap(Reg::ax);
            } else if (size == 2) {
                e_.movzx16(Reg::ax, host);
                e_.rol16(Reg::ax, 8);
            } else {
                e_.movzx8(Reg::ax, host);
            }
            e_.mov(gpr(s.r0), Reg::ax);
        }
        if (mode == FastOp::load_du) e_.mov(gpr(s.r1), Reg::si);
        e_.inc64(field(l_.data_fast));
        slow.resume = e_.size();
        slow_paths_.push_back(std::move(slow));
    }

    // The addressing of a load or store form (named by its load form), and
    // whether it stores.
    static std::pair<FastOp, bool> addressing_of(FastOp op) {
        switch (op) {
        case FastOp::store_d:
            return {FastOp::load_d, true};
        case FastOp::store_abs:
            return {FastOp::load_abs, true};
        case FastOp::store_du:
            return {FastOp::load_du, true};
        case FastOp::store_x:
            return {FastOp::load_x, true};
        default:
            return {op, false};
        }
    }

    static unsigned access_size(Insn i) {
        switch (i.opcd()) {
        case 34: // lbz, lbzu, stb, stbu
        case 35:
        case 38:
        case 39:
            return 1;
        case 40: // lhz, lhzu, sth, sthu
        case 41:
        case 44:
        case 45:
            return 2;
        case 31: // lbzx, stbx; lhzx, sthx; lwzx, stwx
            if (i.xo() == 87 || i.xo() == 215) return 1;
            if (i.xo() == 279 || i.xo() == 407) return 2;
            return 4;
        default:
            return 4;
        }
    }

    // Any other instruction: its slot's handler, with core.pc set for it.
    void call_handler(unsigned k, const DecodedSlot& s) {
        e_.lea(Reg::ax, {kStartPc, 4 * static_cast<int32_t>(k)});
        e_.mov(field(l_.pc), Reg::ax);
        e_.mov64(Reg::di, kCore);
        e_.mov64(Reg::si, reinterpret_cast<uint64_t>(&s));
        e_.mov64(Reg::ax, reinterpret_cast<uint64_t>(s.fn));
        e_.call(Reg::ax);
        e_.cmp8(field(l_.flow), 0);
        flow_exits_.push_back({e_.jcc(Cond::ne), k + 1});
    }

    // Out of line: the loads and stores the soft TLB did not serve, the
    // handlers' redirections, then the shared epilogue.
    void stubs() {
        for (const SlowPath& slow : slow_paths_) {
            for (size_t jump : slow.jumps)
                e_.bind(jump);
            call_handler(slow.k, *slow.slot);
            e_.jmp_back(slow.resume);
        }
        if (!flow_exits_.empty()) {
            std::vector<size_t> to_common;
            for (auto [jump, count] : flow_exits_) {
                e_.bind(jump);
                e_.lea64(Reg::ax, {kRetired, static_cast<int32_t>(count)});
                to_common.push_back(e_.jmp());
            }
            // The handler set npc: continue there, with `flow` consumed.
            for (size_t j : to_common)
                e_.bind(j);
            e_.mov(Reg::cx, field(l_.npc));
            e_.mov(field(l_.pc), Reg::cx);
            e_.mov8(field(l_.flow), 0);
        }
        for (size_t j : epilogue_jumps_)
            e_.bind(j);
        for (Reg r : {Reg::r15, Reg::r14, Reg::r13, Reg::r12, Reg::bx})
            e_.pop(r);
        e_.ret();
    }

    struct FlowExit {
        size_t jump;
        unsigned count;
    };
    struct SlowPath {
        unsigned k;
        const DecodedSlot* slot;
        std::vector<size_t> jumps; // to the handler call
        size_t resume;             // where the inline path continues
    };

    const DecodedPage& page_;
    unsigned first_;
    const CoreLayout& l_;
    X86Emitter& e_;
    unsigned length_ = 0;
    size_t loop_start_ = 0;
    std::vector<size_t> epilogue_jumps_;
    std::vector<FlowExit> flow_exits_;
    std::vector<SlowPath> slow_paths_;
};

} // namespace

Translation translate(const DecodedPage& page, unsigned first, const CoreLayout& layout,
                      X86Emitter& out) {
    return BlockWriter(page, first, layout, out).write();
}

} // namespace vmc::emu::jit
