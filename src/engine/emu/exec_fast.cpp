// Fast forms of the commonest instructions. The decoder (decode_fast) picks
// one when an instruction word has a form worth it and stores its operands
// in the slot: register numbers, the immediate sign-extended or shifted into
// place, the rotate mask, the branch displacement, the CR bit to test. The
// handler then does the operation alone: no field extraction, no Rc/OE/AA/LK
// tests. Anything else (record and overflow forms, invalid forms, rare
// instructions) stays with the generic handler of the instruction list, which
// remains the reference: tests/emu/fast_forms_test.cpp runs both on the same
// state and compares.
#include <bit>

#include "engine/emu/exec_util.hpp"

namespace vmc::emu {

namespace {

using S = const DecodedSlot&;

// Immediates are stored as 32-bit words; signed ones are sign-extended to
// the register width here. Results go through set_gpr where they may reach
// the upper half, so a 32-bit core keeps its registers zero-extended.
uint64_t sext(uint32_t imm) {
    return static_cast<uint64_t>(int64_t{static_cast<int32_t>(imm)});
}

// ---- integer: r0 = destination, r1 (r2) = sources, imm = immediate
void load_imm(Core& c, S s) {
    c.set_gpr(s.r0, sext(s.imm));
}
void add_imm(Core& c, S s) {
    c.set_gpr(s.r0, c.gpr[s.r1] + sext(s.imm));
}
void or_imm(Core& c, S s) {
    c.gpr[s.r0] = c.gpr[s.r1] | s.imm;
}
void xor_imm(Core& c, S s) {
    c.gpr[s.r0] = c.gpr[s.r1] ^ s.imm;
}
void and_imm_record(Core& c, S s) {
    uint64_t r = c.gpr[s.r1] & s.imm;
    c.gpr[s.r0] = r;
    record(c, r);
}
void mul_imm(Core& c, S s) {
    c.set_gpr(s.r0, c.gpr[s.r1] * sext(s.imm));
}
void move_reg(Core& c, S s) {
    c.gpr[s.r0] = c.gpr[s.r1];
}
void add_reg(Core& c, S s) {
    c.set_gpr(s.r0, c.gpr[s.r1] + c.gpr[s.r2]);
}
void subf_reg(Core& c, S s) {
    c.set_gpr(s.r0, c.gpr[s.r2] - c.gpr[s.r1]);
}
// mullw: the 64-bit product of the low words.
void mul_reg(Core& c, S s) {
    c.set_gpr(s.r0, static_cast<uint64_t>(int64_t{static_cast<int32_t>(c.gpr[s.r1])} *
                                          static_cast<int32_t>(c.gpr[s.r2])));
}
void and_reg(Core& c, S s) {
    c.gpr[s.r0] = c.gpr[s.r1] & c.gpr[s.r2];
}
void andc_reg(Core& c, S s) {
    c.gpr[s.r0] = c.gpr[s.r1] & ~c.gpr[s.r2];
}
void or_reg(Core& c, S s) {
    c.gpr[s.r0] = c.gpr[s.r1] | c.gpr[s.r2];
}
void xor_reg(Core& c, S s) {
    c.gpr[s.r0] = c.gpr[s.r1] ^ c.gpr[s.r2];
}
void nor_reg(Core& c, S s) {
    c.set_gpr(s.r0, ~(c.gpr[s.r1] | c.gpr[s.r2]));
}
// rlwinm with a mask that does not wrap (mb <= me): r2 = shift, imm =
// MASK(mb, me). The result is the masked rotated low word, zero-extended.
void rotate_mask(Core& c, S s) {
    c.gpr[s.r0] = std::rotl(static_cast<uint32_t>(c.gpr[s.r1]), s.r2) & s.imm;
}
void rotate_mask_record(Core& c, S s) {
    uint64_t r = std::rotl(static_cast<uint32_t>(c.gpr[s.r1]), s.r2) & s.imm;
    c.gpr[s.r0] = r;
    record(c, r);
}

// ---- word compares (L=0): r0 = CR field, r1 = RA, r2 = RB, imm = immediate
void cmp_signed_imm(Core& c, S s) {
    set_cr_field(c, s.r0,
                 compare_signed(static_cast<int32_t>(c.gpr[s.r1]), static_cast<int32_t>(s.imm)) |
                     (c.xer >> 31));
}
void cmp_unsigned_imm(Core& c, S s) {
    set_cr_field(c, s.r0, compare_unsigned(low(c.gpr[s.r1]), s.imm) | (c.xer >> 31));
}
void cmp_signed_reg(Core& c, S s) {
    set_cr_field(
        c, s.r0,
        compare_signed(static_cast<int32_t>(c.gpr[s.r1]), static_cast<int32_t>(c.gpr[s.r2])) |
            (c.xer >> 31));
}
void cmp_unsigned_reg(Core& c, S s) {
    set_cr_field(c, s.r0, compare_unsigned(low(c.gpr[s.r1]), low(c.gpr[s.r2])) | (c.xer >> 31));
}

// ---- branches: imm = displacement; for a CR test r0 = the bit's shift in CR
// (31 - BI) and r1 the value it must have. branch() wraps targets in 32-bit mode.
void branch_rel(Core& c, S s) {
    c.branch(c.pc + sext(s.imm));
}
void branch_rel_link(Core& c, S s) {
    c.lr = (c.pc + 4) & c.ea_mask;
    c.branch(c.pc + sext(s.imm));
}
void branch_ctr_nonzero(Core& c, S s) {
    c.ctr = (c.ctr - 1) & c.gpr_mask;
    if ((c.ctr & c.ea_mask) != 0) c.branch(c.pc + sext(s.imm));
}
void branch_cr(Core& c, S s) {
    if (((c.cr >> s.r0) & 1) == s.r1) c.branch(c.pc + sext(s.imm));
}
void branch_lr(Core& c, S) {
    c.branch(c.lr & ~uint64_t{3});
}
void branch_lr_link(Core& c, S) {
    uint64_t target = c.lr & ~uint64_t{3}; // read before the link overwrites it
    c.lr = (c.pc + 4) & c.ea_mask;
    c.branch(target);
}
void branch_ctr(Core& c, S) {
    c.branch(c.ctr & ~uint64_t{3});
}
void branch_ctr_link(Core& c, S) {
    c.lr = (c.pc + 4) & c.ea_mask;
    c.branch(c.ctr & ~uint64_t{3});
}

// ---- the SPRs every function call touches, and the timebase: r0 = RT/RS
void move_from_lr(Core& c, S s) {
    c.gpr[s.r0] = c.lr;
}
void move_from_ctr(Core& c, S s) {
    c.gpr[s.r0] = c.ctr;
}
void move_to_lr(Core& c, S s) {
    c.lr = c.gpr[s.r0];
}
void move_to_ctr(Core& c, S s) {
    c.ctr = c.gpr[s.r0];
}
// A 64-bit core reads the whole time base through TBL.
void read_tbl(Core& c, S s) {
    c.gpr[s.r0] = c.is64 ? c.timebase() : static_cast<uint32_t>(c.timebase());
}
void read_tbu(Core& c, S s) {
    c.gpr[s.r0] = static_cast<uint32_t>(c.timebase() >> 32);
}

// ---- loads and stores: r0 = RT/RS, r1 = RA, r2 = RB, imm = displacement.
// RA=0 (no base register) is its own handler; update forms are only picked
// for valid operands (RA != 0, and RA != RT for loads). Each handler tries the
// soft TLB inline and tail-calls its slow path, kept out of line so the fast
// path needs no stack frame. Addresses wrap at 4 GiB in 32-bit mode.
template <typename T, bool Update> [[gnu::noinline]] void load_miss(Core& c, S s, uint64_t ea) {
    T v;
    if (!c.load(ea, v)) return;
    c.gpr[s.r0] = v;
    if constexpr (Update) c.gpr[s.r1] = ea;
}
template <typename T, bool Update> [[gnu::noinline]] void store_miss(Core& c, S s, uint64_t ea) {
    if (c.store(ea, static_cast<T>(c.gpr[s.r0])) && Update) c.gpr[s.r1] = ea;
}
template <typename T, bool Update> void load_at(Core& c, S s, uint64_t ea) {
    T v;
    if (!c.load_fast(ea, v)) [[unlikely]]
        return load_miss<T, Update>(c, s, ea);
    c.gpr[s.r0] = v;
    if constexpr (Update) c.gpr[s.r1] = ea;
}
template <typename T, bool Update> void store_at(Core& c, S s, uint64_t ea) {
    if (!c.store_fast(ea, static_cast<T>(c.gpr[s.r0]))) [[unlikely]]
        return store_miss<T, Update>(c, s, ea);
    if constexpr (Update) c.gpr[s.r1] = ea;
}
template <typename T> void load_d(Core& c, S s) {
    load_at<T, false>(c, s, (c.gpr[s.r1] + sext(s.imm)) & c.ea_mask);
}
template <typename T> void load_abs(Core& c, S s) {
    load_at<T, false>(c, s, sext(s.imm) & c.ea_mask);
}
template <typename T> void load_du(Core& c, S s) {
    load_at<T, true>(c, s, (c.gpr[s.r1] + sext(s.imm)) & c.ea_mask);
}
template <typename T> void load_x(Core& c, S s) {
    load_at<T, false>(c, s, (c.gpr[s.r1] + c.gpr[s.r2]) & c.ea_mask);
}
template <typename T> void store_d(Core& c, S s) {
    store_at<T, false>(c, s, (c.gpr[s.r1] + sext(s.imm)) & c.ea_mask);
}
template <typename T> void store_abs(Core& c, S s) {
    store_at<T, false>(c, s, sext(s.imm) & c.ea_mask);
}
template <typename T> void store_du(Core& c, S s) {
    store_at<T, true>(c, s, (c.gpr[s.r1] + sext(s.imm)) & c.ea_mask);
}
template <typename T> void store_x(Core& c, S s) {
    store_at<T, false>(c, s, (c.gpr[s.r1] + c.gpr[s.r2]) & c.ea_mask);
}

uint32_t rotate_mask_of(unsigned mb, unsigned me) {
    uint32_t from_mb = 0xffffffffu >> mb;
    uint32_t to_me = 0xffffffffu << (31 - me);
    return mb <= me ? from_mb & to_me : from_mb | to_me;
}

} // namespace

bool decode_fast(uint32_t raw, DecodedSlot& s) {
    const Insn i{raw};
    auto set = [&](FastOp op, SlotFn fn, unsigned r0, unsigned r1, unsigned r2, uint32_t imm) {
        s.fn = fn;
        s.op = op;
        s.r0 = static_cast<uint8_t>(r0);
        s.r1 = static_cast<uint8_t>(r1);
        s.r2 = static_cast<uint8_t>(r2);
        s.imm = imm;
        return true;
    };
    const uint32_t simm = static_cast<uint32_t>(i.simm());
    const bool plain = !i.rc() && !i.oe(); // XO/X forms without Rc and OE
    switch (i.opcd()) {
    case 7:
        return set(FastOp::mul_imm, &mul_imm, i.rt(), i.ra(), 0, simm);
    case 10:
        if (i.l()) return false;
        return set(FastOp::cmp_unsigned_imm, &cmp_unsigned_imm, i.bf(), i.ra(), 0, i.uimm());
    case 11:
        if (i.l()) return false;
        return set(FastOp::cmp_signed_imm, &cmp_signed_imm, i.bf(), i.ra(), 0, simm);
    case 14:
    case 15: {
        uint32_t imm = i.opcd() == 15 ? simm << 16 : simm;
        if (i.ra() == 0) return set(FastOp::load_imm, &load_imm, i.rt(), 0, 0, imm);
        return set(FastOp::add_imm, &add_imm, i.rt(), i.ra(), 0, imm);
    }
    case 16: {
        if (i.aa() || i.lk()) return false;
        uint32_t bd = static_cast<uint32_t>(i.bd());
        unsigned bo = i.bo();
        if ((bo & 0x16) == 0x10)
            return set(FastOp::branch_ctr_nonzero, &branch_ctr_nonzero, 0, 0, 0, bd);
        if ((bo & 0x14) == 0x04)
            return set(FastOp::branch_cr, &branch_cr, 31 - i.bi(), (bo >> 3) & 1, 0, bd);
        return false;
    }
    case 18:
        if (i.aa()) return false;
        return i.lk()
                   ? set(FastOp::branch_rel_link, &branch_rel_link, 0, 0, 0,
                         static_cast<uint32_t>(i.li()))
                   : set(FastOp::branch_rel, &branch_rel, 0, 0, 0, static_cast<uint32_t>(i.li()));
    case 19:
        // blr, blrl, bctr, bctrl: BO=1z1zz (branch always).
        if ((i.bo() & 0x14) != 0x14) return false;
        if (i.xo() == 16)
            return i.lk() ? set(FastOp::branch_lr_link, &branch_lr_link, 0, 0, 0, 0)
                          : set(FastOp::branch_lr, &branch_lr, 0, 0, 0, 0);
        if (i.xo() == 528)
            return i.lk() ? set(FastOp::branch_ctr_link, &branch_ctr_link, 0, 0, 0, 0)
                          : set(FastOp::branch_ctr, &branch_ctr, 0, 0, 0, 0);
        return false;
    case 21:
        // A wrapping mask (mb > me) reaches the upper half of a 64-bit
        // register: the generic handler does that.
        if (i.mb() > i.me()) return false;
        return i.rc() ? set(FastOp::rotate_mask_record, &rotate_mask_record, i.ra(), i.rs(), i.sh(),
                            rotate_mask_of(i.mb(), i.me()))
                      : set(FastOp::rotate_mask, &rotate_mask, i.ra(), i.rs(), i.sh(),
                            rotate_mask_of(i.mb(), i.me()));
    case 24:
        return set(FastOp::or_imm, &or_imm, i.ra(), i.rs(), 0, i.uimm());
    case 25:
        return set(FastOp::or_imm, &or_imm, i.ra(), i.rs(), 0, i.uimm() << 16);
    case 26:
        return set(FastOp::xor_imm, &xor_imm, i.ra(), i.rs(), 0, i.uimm());
    case 27:
        return set(FastOp::xor_imm, &xor_imm, i.ra(), i.rs(), 0, i.uimm() << 16);
    case 28:
        return set(FastOp::and_imm_record, &and_imm_record, i.ra(), i.rs(), 0, i.uimm());
    case 29:
        return set(FastOp::and_imm_record, &and_imm_record, i.ra(), i.rs(), 0, i.uimm() << 16);
    case 31:
        break;
    case 32:
        return i.ra() ? set(FastOp::load_d, &load_d<uint32_t>, i.rt(), i.ra(), 0, simm)
                      : set(FastOp::load_abs, &load_abs<uint32_t>, i.rt(), 0, 0, simm);
    case 33:
        if (i.ra() == 0 || i.ra() == i.rt()) return false;
        return set(FastOp::load_du, &load_du<uint32_t>, i.rt(), i.ra(), 0, simm);
    case 34:
        return i.ra() ? set(FastOp::load_d, &load_d<uint8_t>, i.rt(), i.ra(), 0, simm)
                      : set(FastOp::load_abs, &load_abs<uint8_t>, i.rt(), 0, 0, simm);
    case 35:
        if (i.ra() == 0 || i.ra() == i.rt()) return false;
        return set(FastOp::load_du, &load_du<uint8_t>, i.rt(), i.ra(), 0, simm);
    case 36:
        return i.ra() ? set(FastOp::store_d, &store_d<uint32_t>, i.rs(), i.ra(), 0, simm)
                      : set(FastOp::store_abs, &store_abs<uint32_t>, i.rs(), 0, 0, simm);
    case 37:
        if (i.ra() == 0) return false;
        return set(FastOp::store_du, &store_du<uint32_t>, i.rs(), i.ra(), 0, simm);
    case 38:
        return i.ra() ? set(FastOp::store_d, &store_d<uint8_t>, i.rs(), i.ra(), 0, simm)
                      : set(FastOp::store_abs, &store_abs<uint8_t>, i.rs(), 0, 0, simm);
    case 39:
        if (i.ra() == 0) return false;
        return set(FastOp::store_du, &store_du<uint8_t>, i.rs(), i.ra(), 0, simm);
    case 40:
        return i.ra() ? set(FastOp::load_d, &load_d<uint16_t>, i.rt(), i.ra(), 0, simm)
                      : set(FastOp::load_abs, &load_abs<uint16_t>, i.rt(), 0, 0, simm);
    case 41:
        if (i.ra() == 0 || i.ra() == i.rt()) return false;
        return set(FastOp::load_du, &load_du<uint16_t>, i.rt(), i.ra(), 0, simm);
    case 45:
        if (i.ra() == 0) return false;
        return set(FastOp::store_du, &store_du<uint16_t>, i.rs(), i.ra(), 0, simm);
    case 44:
        return i.ra() ? set(FastOp::store_d, &store_d<uint16_t>, i.rs(), i.ra(), 0, simm)
                      : set(FastOp::store_abs, &store_abs<uint16_t>, i.rs(), 0, 0, simm);
    default:
        return false;
    }
    // Primary opcode 31.
    switch (i.xo()) {
    case 0:
        if (i.l()) return false;
        return set(FastOp::cmp_signed_reg, &cmp_signed_reg, i.bf(), i.ra(), i.rb(), 0);
    case 32:
        if (i.l()) return false;
        return set(FastOp::cmp_unsigned_reg, &cmp_unsigned_reg, i.bf(), i.ra(), i.rb(), 0);
    case 266:
        return plain && set(FastOp::add_reg, &add_reg, i.rt(), i.ra(), i.rb(), 0);
    case 40:
        return plain && set(FastOp::subf_reg, &subf_reg, i.rt(), i.ra(), i.rb(), 0);
    case 235:
        return plain && set(FastOp::mul_reg, &mul_reg, i.rt(), i.ra(), i.rb(), 0);
    case 28:
        return !i.rc() && set(FastOp::and_reg, &and_reg, i.ra(), i.rs(), i.rb(), 0);
    case 60:
        return !i.rc() && set(FastOp::andc_reg, &andc_reg, i.ra(), i.rs(), i.rb(), 0);
    case 444:
        if (i.rc()) return false;
        if (i.rs() == i.rb()) return set(FastOp::move_reg, &move_reg, i.ra(), i.rs(), 0, 0);
        return set(FastOp::or_reg, &or_reg, i.ra(), i.rs(), i.rb(), 0);
    case 316:
        return !i.rc() && set(FastOp::xor_reg, &xor_reg, i.ra(), i.rs(), i.rb(), 0);
    case 124:
        return !i.rc() && set(FastOp::nor_reg, &nor_reg, i.ra(), i.rs(), i.rb(), 0);
    case 339: // mfspr: LR, CTR and the timebase are readable in every mode
        switch (i.spr()) {
        case spr::LR:
            return set(FastOp::move_from_lr, &move_from_lr, i.rt(), 0, 0, 0);
        case spr::CTR:
            return set(FastOp::move_from_ctr, &move_from_ctr, i.rt(), 0, 0, 0);
        case spr::TBL_R:
            return set(FastOp::read_tbl, &read_tbl, i.rt(), 0, 0, 0);
        case spr::TBU_R:
            return set(FastOp::read_tbu, &read_tbu, i.rt(), 0, 0, 0);
        default:
            return false;
        }
    case 371: // mftb
        if (i.spr() == spr::TBL_R) return set(FastOp::read_tbl, &read_tbl, i.rt(), 0, 0, 0);
        if (i.spr() == spr::TBU_R) return set(FastOp::read_tbu, &read_tbu, i.rt(), 0, 0, 0);
        return false;
    case 467: // mtspr
        if (i.spr() == spr::LR) return set(FastOp::move_to_lr, &move_to_lr, i.rs(), 0, 0, 0);
        if (i.spr() == spr::CTR) return set(FastOp::move_to_ctr, &move_to_ctr, i.rs(), 0, 0, 0);
        return false;
    case 23:
        if (i.rc()) return false; // Rc=1 is an invalid form of the X-form loads and stores
        return i.ra() ? set(FastOp::load_x, &load_x<uint32_t>, i.rt(), i.ra(), i.rb(), 0) : false;
    case 87:
        if (i.rc()) return false;
        return i.ra() ? set(FastOp::load_x, &load_x<uint8_t>, i.rt(), i.ra(), i.rb(), 0) : false;
    case 151:
        if (i.rc()) return false;
        return i.ra() ? set(FastOp::store_x, &store_x<uint32_t>, i.rs(), i.ra(), i.rb(), 0) : false;
    case 215:
        if (i.rc()) return false;
        return i.ra() ? set(FastOp::store_x, &store_x<uint8_t>, i.rs(), i.ra(), i.rb(), 0) : false;
    case 279:
        if (i.rc()) return false;
        return i.ra() ? set(FastOp::load_x, &load_x<uint16_t>, i.rt(), i.ra(), i.rb(), 0) : false;
    case 407:
        if (i.rc()) return false;
        return i.ra() ? set(FastOp::store_x, &store_x<uint16_t>, i.rs(), i.ra(), i.rb(), 0) : false;
    default:
        return false;
    }
}

} // namespace vmc::emu
