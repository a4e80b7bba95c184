// Integer and FP loads and stores (Book I 3.3.2-3.3.7, 4.6), reservations,
// and the cache-management instructions with their translation faults.
#include "engine/emu/exec_util.hpp"

namespace vmc::emu {

// Effective addresses wrap at 4 GiB in 32-bit mode (Core::ea_mask).
uint64_t ea_d(const Core& c, Insn i) {
    return (reg_or_zero(c, i.ra()) + static_cast<uint64_t>(int64_t{i.simm()})) & c.ea_mask;
}
uint64_t ea_x(const Core& c, Insn i) {
    return (reg_or_zero(c, i.ra()) + c.gpr[i.rb()]) & c.ea_mask;
}

namespace {

enum class Form { D, DU, X, XU };

// The form is a template argument so each handler compiles to its own
// straight-line fast path.
template <typename T, bool Signed, Form form> void load_gpr(Core& c, Insn i) {
    constexpr bool update = form == Form::DU || form == Form::XU;
    // RA=0 or RA=RT with update is an invalid form; QEMU's e500mc raises illegal.
    if (update && (i.ra() == 0 || i.ra() == i.rt())) return c.illegal(i);
    uint64_t ea;
    if constexpr (form == Form::D || form == Form::DU)
        ea = ea_d(c, i);
    else
        ea = ea_x(c, i);
    T v;
    if (!c.load(ea, v)) return;
    if constexpr (Signed)
        c.set_gpr(i.rt(), static_cast<uint64_t>(int64_t{static_cast<std::make_signed_t<T>>(v)}));
    else
        c.gpr[i.rt()] = v;
    if constexpr (update) c.gpr[i.ra()] = ea;
}

template <typename T, Form form> void store_gpr(Core& c, Insn i) {
    constexpr bool update = form == Form::DU || form == Form::XU;
    if (update && i.ra() == 0) return c.illegal(i);
    uint64_t ea;
    if constexpr (form == Form::D || form == Form::DU)
        ea = ea_d(c, i);
    else
        ea = ea_x(c, i);
    if (!c.store(ea, static_cast<T>(c.gpr[i.rs()]))) return;
    if constexpr (update) c.gpr[i.ra()] = ea;
}

bool fp_available(Core& c) {
    if (c.msr & msr::FP) return true;
    c.interrupt(Ivor::FpUnavailable, IntClass::Base, c.pc);
    return false;
}

template <bool Double, Form form> void load_fpr(Core& c, Insn i) {
    if (!fp_available(c)) return;
    constexpr bool update = form == Form::DU || form == Form::XU;
    if (update && i.ra() == 0) return c.illegal(i);
    uint64_t ea;
    if constexpr (form == Form::D || form == Form::DU)
        ea = ea_d(c, i);
    else
        ea = ea_x(c, i);
    if constexpr (Double) {
        uint64_t v;
        if (!c.load(ea, v)) return;
        c.fp.fpr[i.rt()] = v;
    } else {
        uint32_t v;
        if (!c.load(ea, v)) return;
        c.fp.fpr[i.rt()] = fpu::single_to_double(v);
    }
    if (update) c.gpr[i.ra()] = ea;
}

template <bool Double, Form form> void store_fpr(Core& c, Insn i) {
    if (!fp_available(c)) return;
    constexpr bool update = form == Form::DU || form == Form::XU;
    if (update && i.ra() == 0) return c.illegal(i);
    uint64_t ea;
    if constexpr (form == Form::D || form == Form::DU)
        ea = ea_d(c, i);
    else
        ea = ea_x(c, i);
    bool ok = Double ? c.store(ea, c.fp.fpr[i.rs()])
                     : c.store(ea, fpu::double_to_single(c.fp.fpr[i.rs()]));
    if (ok && update) c.gpr[i.ra()] = ea;
}

} // namespace

VMC_HANDLER(lwz) {
    load_gpr<uint32_t, false, Form::D>(c, i);
}
VMC_HANDLER(lwzu) {
    load_gpr<uint32_t, false, Form::DU>(c, i);
}
VMC_HANDLER(lwzx) {
    load_gpr<uint32_t, false, Form::X>(c, i);
}
VMC_HANDLER(lwzux) {
    load_gpr<uint32_t, false, Form::XU>(c, i);
}
VMC_HANDLER(lbz) {
    load_gpr<uint8_t, false, Form::D>(c, i);
}
VMC_HANDLER(lbzu) {
    load_gpr<uint8_t, false, Form::DU>(c, i);
}
VMC_HANDLER(lbzx) {
    load_gpr<uint8_t, false, Form::X>(c, i);
}
VMC_HANDLER(lbzux) {
    load_gpr<uint8_t, false, Form::XU>(c, i);
}
VMC_HANDLER(lhz) {
    load_gpr<uint16_t, false, Form::D>(c, i);
}
VMC_HANDLER(lhzu) {
    load_gpr<uint16_t, false, Form::DU>(c, i);
}
VMC_HANDLER(lhzx) {
    load_gpr<uint16_t, false, Form::X>(c, i);
}
VMC_HANDLER(lhzux) {
    load_gpr<uint16_t, false, Form::XU>(c, i);
}
VMC_HANDLER(lha) {
    load_gpr<uint16_t, true, Form::D>(c, i);
}
VMC_HANDLER(lhau) {
    load_gpr<uint16_t, true, Form::DU>(c, i);
}
VMC_HANDLER(lhax) {
    load_gpr<uint16_t, true, Form::X>(c, i);
}
VMC_HANDLER(lhaux) {
    load_gpr<uint16_t, true, Form::XU>(c, i);
}
VMC_HANDLER(stw) {
    store_gpr<uint32_t, Form::D>(c, i);
}
VMC_HANDLER(stwu) {
    store_gpr<uint32_t, Form::DU>(c, i);
}
VMC_HANDLER(stwx) {
    store_gpr<uint32_t, Form::X>(c, i);
}
VMC_HANDLER(stwux) {
    store_gpr<uint32_t, Form::XU>(c, i);
}
VMC_HANDLER(stb) {
    store_gpr<uint8_t, Form::D>(c, i);
}
VMC_HANDLER(stbu) {
    store_gpr<uint8_t, Form::DU>(c, i);
}
VMC_HANDLER(stbx) {
    store_gpr<uint8_t, Form::X>(c, i);
}
VMC_HANDLER(stbux) {
    store_gpr<uint8_t, Form::XU>(c, i);
}
VMC_HANDLER(sth) {
    store_gpr<uint16_t, Form::D>(c, i);
}
VMC_HANDLER(sthu) {
    store_gpr<uint16_t, Form::DU>(c, i);
}
VMC_HANDLER(sthx) {
    store_gpr<uint16_t, Form::X>(c, i);
}
VMC_HANDLER(sthux) {
    store_gpr<uint16_t, Form::XU>(c, i);
}

VMC_HANDLER(lhbrx) {
    uint16_t v;
    if (c.load(ea_x(c, i), v)) c.gpr[i.rt()] = static_cast<uint16_t>((v >> 8) | (v << 8));
}
VMC_HANDLER(lwbrx) {
    uint32_t v;
    if (c.load(ea_x(c, i), v)) c.gpr[i.rt()] = bswap(v);
}
VMC_HANDLER(sthbrx) {
    uint16_t v = static_cast<uint16_t>(c.gpr[i.rs()]);
    c.store(ea_x(c, i), static_cast<uint16_t>((v >> 8) | (v << 8)));
}
VMC_HANDLER(stwbrx) {
    c.store(ea_x(c, i), bswap(static_cast<uint32_t>(c.gpr[i.rs()])));
}

// lmw/stmw: the e500mc takes an alignment interrupt when EA is not word aligned.
VMC_HANDLER(lmw) {
    uint64_t ea = ea_d(c, i);
    if (ea & 3) return c.alignment(ea, false);
    for (unsigned r = i.rt(); r < 32; ++r, ea = (ea + 4) & c.ea_mask) {
        uint32_t v;
        if (!c.load(ea, v)) return;
        c.gpr[r] = v;
    }
}
VMC_HANDLER(stmw) {
    uint64_t ea = ea_d(c, i);
    if (ea & 3) return c.alignment(ea, true);
    for (unsigned r = i.rs(); r < 32; ++r, ea = (ea + 4) & c.ea_mask)
        if (!c.store(ea, static_cast<uint32_t>(c.gpr[r]))) return;
}

// Reservations. lbarx/lharx/stbcx./sthcx. are not e500mc instructions
// (`as -me500mc` rejects them): their slots stay illegal.
VMC_HANDLER(lwarx) {
    uint64_t ea = ea_x(c, i);
    if (ea & 3) return c.alignment(ea, false);
    uint32_t v;
    if (!c.load(ea, v)) return;
    c.gpr[i.rt()] = v;
    c.reserved = true;
    c.reserve_ea = ea;
    c.reserve_size = 4;
    c.reserve_value = v;
}
VMC_HANDLER(stwcx) {
    uint64_t ea = ea_x(c, i);
    if (ea & 3) return c.alignment(ea, true);
    bool success = false;
    if (c.reserved && c.reserve_ea == ea) {
        uint32_t current;
        if (!c.load(ea, current)) return;
        if (current == c.reserve_value) {
            if (!c.store(ea, static_cast<uint32_t>(c.gpr[i.rs()]))) return;
            success = true;
        }
    }
    c.reserved = false;
    set_cr_field(c, 0, (success ? 2 : 0) | (c.xer >> 31));
}

// Cache management. The caches are not modelled; what remains is the
// translation each instruction performs (and the faults it can raise).
VMC_HANDLER(dcbz) {
    uint64_t ea = ea_x(c, i) & ~uint64_t{63};
    for (unsigned n = 0; n < 64; n += 4)
        if (!c.store(ea + n, uint32_t{0})) return;
}
VMC_HANDLER(dcbst) {
    uint64_t pa;
    c.probe(ea_x(c, i), Access::Read, pa);
}
VMC_HANDLER(dcbf) {
    uint64_t pa;
    c.probe(ea_x(c, i), Access::Read, pa);
}
VMC_HANDLER(dcbi) {
    VMC_PRIVILEGED();
    uint64_t pa;
    c.probe(ea_x(c, i), Access::Write, pa);
}
VMC_HANDLER(icbi) {
    uint64_t pa;
    if (!c.probe(ea_x(c, i), Access::Read, pa)) return;
    c.shared.code.invalidate(pa & ~63ull, 64);
    c.end_block();
}
VMC_HANDLER(cache_hint) {} // dcbt, dcbtst, icbt, dcba: hints, never fault
// Cache locking from user mode needs MSR[UCLE]; otherwise a data storage
// interrupt with ESR[DLK] (data side) or ESR[ILK] (instruction side).
VMC_HANDLER(cache_lock) {
    if (c.user() && !(c.msr & msr::UCLE)) {
        bool inst_side = i.xo() == 486 || i.xo() == 230;
        c.s.esr = inst_side ? esr::ILK : esr::DLK;
        c.s.dear = ea_x(c, i);
        c.interrupt(Ivor::DataStorage, IntClass::Base, c.pc);
    }
}

VMC_HANDLER(lfs) {
    load_fpr<false, Form::D>(c, i);
}
VMC_HANDLER(lfsu) {
    load_fpr<false, Form::DU>(c, i);
}
VMC_HANDLER(lfsx) {
    load_fpr<false, Form::X>(c, i);
}
VMC_HANDLER(lfsux) {
    load_fpr<false, Form::XU>(c, i);
}
VMC_HANDLER(lfd) {
    load_fpr<true, Form::D>(c, i);
}
VMC_HANDLER(lfdu) {
    load_fpr<true, Form::DU>(c, i);
}
VMC_HANDLER(lfdx) {
    load_fpr<true, Form::X>(c, i);
}
VMC_HANDLER(lfdux) {
    load_fpr<true, Form::XU>(c, i);
}
VMC_HANDLER(stfs) {
    store_fpr<false, Form::D>(c, i);
}
VMC_HANDLER(stfsu) {
    store_fpr<false, Form::DU>(c, i);
}
VMC_HANDLER(stfsx) {
    store_fpr<false, Form::X>(c, i);
}
VMC_HANDLER(stfsux) {
    store_fpr<false, Form::XU>(c, i);
}
VMC_HANDLER(stfd) {
    store_fpr<true, Form::D>(c, i);
}
VMC_HANDLER(stfdu) {
    store_fpr<true, Form::DU>(c, i);
}
VMC_HANDLER(stfdx) {
    store_fpr<true, Form::X>(c, i);
}
VMC_HANDLER(stfdux) {
    store_fpr<true, Form::XU>(c, i);
}
VMC_HANDLER(stfiwx) {
    if (!fp_available(c)) return;
    c.store(ea_x(c, i), static_cast<uint32_t>(c.fp.fpr[i.rs()]));
}

// Opcodes 59 and 63: the FPU decodes and executes them. The e5500 has
// mtfsf with L=1 (Power ISA 2.05: FRB sets the whole FPSCR, which Linux's
// 64-bit load_up_fpu uses); its FPSCR being one word, that is mtfsf with
// every field selected.
VMC_HANDLER(fp_op) {
    if (!fp_available(c)) return;
    constexpr uint32_t kMtfsfL = 1u << 25, kMtfsfW = 1u << 16, kMtfsfFlm = 0xffu << 17;
    uint32_t raw = i.raw;
    if (c.is64 && i.opcd() == 63 && i.xo() == 711 && (raw & kMtfsfL) && !(raw & kMtfsfW))
        raw = (raw & ~kMtfsfL) | kMtfsfFlm;
    switch (fpu::execute(raw, c.fp, c.cr)) {
    case fpu::Outcome::Ok:
        break;
    case fpu::Outcome::Illegal:
        c.illegal(i);
        break;
    case fpu::Outcome::EnabledException:
        if (c.msr & (msr::FE0 | msr::FE1)) c.program(esr::FP);
        break;
    }
}

} // namespace vmc::emu
