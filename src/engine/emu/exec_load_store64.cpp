// The doubleword loads and stores of a 64-bit Book III-E core (Power ISA 2.06
// Book I 3.3.2-3.3.3, 3.3.5, 4.4.2): ld/ldu/lwa (DS form, opcode 58),
// std/stdu (opcode 62), their indexed forms, ldarx/stdcx. and the
// byte-reversed doubleword forms. Illegal on a 32-bit core.
#include "engine/emu/exec_util.hpp"

namespace vmc::emu {

namespace {

// DS form: the displacement is bits 16:29 with two zero bits appended.
uint64_t ea_ds(const Core& c, Insn i) {
    return (reg_or_zero(c, i.ra()) + static_cast<uint64_t>(int64_t{i.simm()} & ~int64_t{3})) &
           c.ea_mask;
}

template <typename T, bool Signed> void load_into(Core& c, Insn i, uint64_t ea, bool update) {
    if (update && (i.ra() == 0 || i.ra() == i.rt())) return c.illegal(i);
    T v;
    if (!c.load(ea, v)) return;
    if constexpr (Signed)
        c.gpr[i.rt()] = static_cast<uint64_t>(int64_t{static_cast<std::make_signed_t<T>>(v)});
    else
        c.gpr[i.rt()] = v;
    if (update) c.gpr[i.ra()] = ea;
}

void store_from(Core& c, Insn i, uint64_t ea, bool update) {
    if (update && i.ra() == 0) return c.illegal(i);
    if (!c.store(ea, c.gpr[i.rs()])) return;
    if (update) c.gpr[i.ra()] = ea;
}

} // namespace

// Opcode 58: the low two bits choose ld (0), ldu (1) or lwa (2).
VMC_HANDLER(ld_ds) {
    VMC_64BIT_ONLY();
    const uint64_t ea = ea_ds(c, i);
    switch (i.raw & 3) {
    case 0:
        return load_into<uint64_t, false>(c, i, ea, false);
    case 1:
        return load_into<uint64_t, false>(c, i, ea, true);
    case 2:
        return load_into<uint32_t, true>(c, i, ea, false);
    default:
        return c.illegal(i);
    }
}
// Opcode 62: std (0) or stdu (1).
VMC_HANDLER(std_ds) {
    VMC_64BIT_ONLY();
    const uint64_t ea = ea_ds(c, i);
    switch (i.raw & 3) {
    case 0:
        return store_from(c, i, ea, false);
    case 1:
        return store_from(c, i, ea, true);
    default:
        return c.illegal(i);
    }
}

VMC_HANDLER(ldx) {
    VMC_64BIT_ONLY();
    load_into<uint64_t, false>(c, i, ea_x(c, i), false);
}
VMC_HANDLER(ldux) {
    VMC_64BIT_ONLY();
    load_into<uint64_t, false>(c, i, ea_x(c, i), true);
}
VMC_HANDLER(lwax) {
    VMC_64BIT_ONLY();
    load_into<uint32_t, true>(c, i, ea_x(c, i), false);
}
VMC_HANDLER(lwaux) {
    VMC_64BIT_ONLY();
    load_into<uint32_t, true>(c, i, ea_x(c, i), true);
}
VMC_HANDLER(stdx) {
    VMC_64BIT_ONLY();
    store_from(c, i, ea_x(c, i), false);
}
VMC_HANDLER(stdux) {
    VMC_64BIT_ONLY();
    store_from(c, i, ea_x(c, i), true);
}
VMC_HANDLER(ldbrx) {
    VMC_64BIT_ONLY();
    uint64_t v;
    if (c.load(ea_x(c, i), v)) c.gpr[i.rt()] = bswap(v);
}
VMC_HANDLER(stdbrx) {
    VMC_64BIT_ONLY();
    c.store(ea_x(c, i), bswap(c.gpr[i.rs()]));
}

// The doubleword reservation pair, with the rules of lwarx/stwcx.
VMC_HANDLER(ldarx) {
    VMC_64BIT_ONLY();
    const uint64_t ea = ea_x(c, i);
    if (ea & 7) return c.alignment(ea, false);
    uint64_t v;
    if (!c.load(ea, v)) return;
    c.gpr[i.rt()] = v;
    c.reserved = true;
    c.reserve_ea = ea;
    c.reserve_size = 8;
    c.reserve_value = v;
}
VMC_HANDLER(stdcx) {
    VMC_64BIT_ONLY();
    const uint64_t ea = ea_x(c, i);
    if (ea & 7) return c.alignment(ea, true);
    bool success = false;
    if (c.reserved && c.reserve_ea == ea && c.reserve_size == 8) {
        uint64_t current;
        if (!c.load(ea, current)) return;
        if (current == c.reserve_value) {
            if (!c.store(ea, c.gpr[i.rs()])) return;
            success = true;
        }
    }
    c.reserved = false;
    set_cr_field(c, 0, (success ? 2 : 0) | (c.xer >> 31));
}

} // namespace vmc::emu
