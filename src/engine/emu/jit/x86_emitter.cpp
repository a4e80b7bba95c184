#include "engine/emu/jit/x86_emitter.hpp"

namespace vmc::emu::jit {

namespace {
unsigned n(Reg r) {
    return static_cast<unsigned>(r);
}
} // namespace

void X86Emitter::u32(uint32_t v) {
    for (int i = 0; i < 4; ++i)
        byte(static_cast<uint8_t>(v >> (8 * i)));
}

// REX when an operand is r8-r15 or the operation is 64-bit.
void X86Emitter::rex(bool w, unsigned reg, unsigned base, bool force) {
    uint8_t r = static_cast<uint8_t>(0x40 | (w ? 8 : 0) | ((reg >> 3) << 2) | (base >> 3));
    if (r != 0x40 || force) byte(r);
}

void X86Emitter::rex(bool w, unsigned reg, Mem m, bool force) {
    unsigned index = m.index == Reg::sp ? 0 : n(m.index);
    uint8_t r = static_cast<uint8_t>(0x40 | (w ? 8 : 0) | ((reg >> 3) << 2) | ((index >> 3) << 1) |
                                     (n(m.base) >> 3));
    if (r != 0x40 || force) byte(r);
}

// ModRM (+SIB) for [base (+ index) + disp]: no displacement when it is 0
// (except for an rbp/r13 base, whose mod=00 form means something else),
// disp8 when it fits, disp32 otherwise. An index, or an rsp/r12 base, needs
// a SIB byte (scale 1).
void X86Emitter::modrm(unsigned reg, Mem m) {
    unsigned b = n(m.base) & 7;
    unsigned mod = m.disp == 0 && b != 5 ? 0x00 : m.disp >= -128 && m.disp <= 127 ? 0x40 : 0x80;
    bool sib = b == 4 || m.index != Reg::sp;
    byte(static_cast<uint8_t>(mod | (reg & 7) << 3 | (sib ? 4 : b)));
    if (sib) byte(static_cast<uint8_t>((n(m.index) & 7) << 3 | b));
    if (mod == 0x40)
        byte(static_cast<uint8_t>(m.disp));
    else if (mod == 0x80)
        u32(static_cast<uint32_t>(m.disp));
}

void X86Emitter::mov(Reg dst, Mem src) {
    rex(false, n(dst), src);
    byte(0x8b);
    modrm(n(dst), src);
}
void X86Emitter::mov(Mem dst, Reg src) {
    rex(false, n(src), dst);
    byte(0x89);
    modrm(n(src), dst);
}
void X86Emitter::mov(Mem dst, uint32_t imm) {
    rex(false, 0, dst);
    byte(0xc7);
    modrm(0, dst);
    u32(imm);
}
void X86Emitter::mov(Reg dst, uint32_t imm) {
    rex(false, 0, n(dst));
    byte(static_cast<uint8_t>(0xb8 + (n(dst) & 7)));
    u32(imm);
}
void X86Emitter::mov(Reg dst, Reg src) {
    rex(false, n(src), n(dst));
    byte(0x89);
    modrm_reg(n(src), n(dst));
}
void X86Emitter::mov64(Reg dst, Reg src) {
    rex(true, n(src), n(dst));
    byte(0x89);
    modrm_reg(n(src), n(dst));
}
void X86Emitter::mov64(Reg dst, uint64_t imm) {
    rex(true, 0, n(dst));
    byte(static_cast<uint8_t>(0xb8 + (n(dst) & 7)));
    u32(static_cast<uint32_t>(imm));
    u32(static_cast<uint32_t>(imm >> 32));
}
void X86Emitter::movzx8(Reg dst, Reg src) {
    rex(false, n(dst), n(src));
    byte(0x0f);
    byte(0xb6);
    modrm_reg(n(dst), n(src));
}
void X86Emitter::mov8(Mem dst, uint8_t imm) {
    rex(false, 0, dst);
    byte(0xc6);
    modrm(0, dst);
    byte(imm);
}
void X86Emitter::movzx8(Reg dst, Mem src) {
    rex(false, n(dst), src);
    byte(0x0f);
    byte(0xb6);
    modrm(n(dst), src);
}
void X86Emitter::movzx16(Reg dst, Mem src) {
    rex(false, n(dst), src);
    byte(0x0f);
    byte(0xb7);
    modrm(n(dst), src);
}
void X86Emitter::mov8(Mem dst, Reg src) {
    // Without a REX prefix, registers 4-7 would be ah..bh, not spl..dil.
    rex(false, n(src), dst, n(src) >= 4 && n(src) < 8);
    byte(0x88);
    modrm(n(src), dst);
}
void X86Emitter::mov16(Mem dst, Reg src) {
    byte(0x66);
    rex(false, n(src), dst);
    byte(0x89);
    modrm(n(src), dst);
}
void X86Emitter::mov64(Reg dst, Mem src) {
    rex(true, n(dst), src);
    byte(0x8b);
    modrm(n(dst), src);
}
void X86Emitter::mov64(Mem dst, Reg src) {
    rex(true, n(src), dst);
    byte(0x89);
    modrm(n(src), dst);
}
void X86Emitter::lea_rip(Reg dst, size_t at) {
    rex(true, n(dst), 0);
    byte(0x8d);
    byte(static_cast<uint8_t>(0x05 | (n(dst) & 7) << 3)); // mod=00, rm=101: rip + disp32
    u32(0);
    patch_rel32(buf_.size() - 4, at);
}
void X86Emitter::bswap(Reg r) {
    rex(false, 0, n(r));
    byte(0x0f);
    byte(static_cast<uint8_t>(0xc8 + (n(r) & 7)));
}
void X86Emitter::rol16(Reg r, uint8_t count) {
    byte(0x66);
    rex(false, 0, n(r));
    byte(0xc1);
    modrm_reg(0, n(r));
    byte(count);
}
void X86Emitter::inc64(Mem m) {
    rex(true, 0, m);
    byte(0xff);
    modrm(0, m);
}
void X86Emitter::lea(Reg dst, Mem src) {
    rex(false, n(dst), src);
    byte(0x8d);
    modrm(n(dst), src);
}
void X86Emitter::lea64(Reg dst, Mem src) {
    rex(true, n(dst), src);
    byte(0x8d);
    modrm(n(dst), src);
}

void X86Emitter::alu(Alu op, Reg dst, Reg src) {
    rex(false, n(src), n(dst));
    byte(static_cast<uint8_t>(static_cast<unsigned>(op) * 8 + 1)); // op r/m32, r32
    modrm_reg(n(src), n(dst));
}
void X86Emitter::alu(Alu op, Reg dst, Mem src) {
    rex(false, n(dst), src);
    byte(static_cast<uint8_t>(static_cast<unsigned>(op) * 8 + 3)); // op r32, r/m32
    modrm(n(dst), src);
}
void X86Emitter::alu(Alu op, Reg dst, uint32_t imm) {
    rex(false, 0, n(dst));
    byte(0x81);
    modrm_reg(static_cast<unsigned>(op), n(dst));
    u32(imm);
}
void X86Emitter::alu(Alu op, Mem dst, uint32_t imm) {
    rex(false, 0, dst);
    byte(0x81);
    modrm(static_cast<unsigned>(op), dst);
    u32(imm);
}
void X86Emitter::alu64(Alu op, Reg dst, int32_t imm) {
    rex(true, 0, n(dst));
    byte(0x81);
    modrm_reg(static_cast<unsigned>(op), n(dst));
    u32(static_cast<uint32_t>(imm));
}
void X86Emitter::alu64(Alu op, Reg dst, Mem src) {
    rex(true, n(dst), src);
    byte(static_cast<uint8_t>(static_cast<unsigned>(op) * 8 + 3));
    modrm(n(dst), src);
}
void X86Emitter::alu64(Alu op, Reg dst, Reg src) {
    rex(true, n(src), n(dst));
    byte(static_cast<uint8_t>(static_cast<unsigned>(op) * 8 + 1));
    modrm_reg(n(src), n(dst));
}
void X86Emitter::shift64(Shift op, Reg r, uint8_t count) {
    rex(true, 0, n(r));
    byte(0xc1);
    modrm_reg(static_cast<unsigned>(op), n(r));
    byte(count);
}
void X86Emitter::imul(Reg dst, Mem src) {
    rex(false, n(dst), src);
    byte(0x0f);
    byte(0xaf);
    modrm(n(dst), src);
}
void X86Emitter::imul(Reg dst, Mem src, uint32_t imm) {
    rex(false, n(dst), src);
    byte(0x69);
    modrm(n(dst), src);
    u32(imm);
}
void X86Emitter::not_(Reg r) {
    rex(false, 0, n(r));
    byte(0xf7);
    modrm_reg(2, n(r));
}
void X86Emitter::shift(Shift op, Reg r, uint8_t count) {
    rex(false, 0, n(r));
    byte(0xc1);
    modrm_reg(static_cast<unsigned>(op), n(r));
    byte(count);
}
void X86Emitter::test(Mem m, uint32_t imm) {
    rex(false, 0, m);
    byte(0xf7);
    modrm(0, m);
    u32(imm);
}
void X86Emitter::test(Reg a, Reg b) {
    rex(false, n(b), n(a));
    byte(0x85);
    modrm_reg(n(b), n(a));
}
void X86Emitter::cmp8(Mem m, uint8_t imm) {
    rex(false, 0, m);
    byte(0x80);
    modrm(7, m);
    byte(imm);
}
void X86Emitter::setcc(Cond c, Reg r) {
    byte(0x0f);
    byte(static_cast<uint8_t>(0x90 + static_cast<unsigned>(c)));
    modrm_reg(0, n(r));
}

void X86Emitter::call(Reg target) {
    rex(false, 0, n(target));
    byte(0xff);
    modrm_reg(2, n(target));
}
void X86Emitter::jmp(Reg target) {
    rex(false, 0, n(target));
    byte(0xff);
    modrm_reg(4, n(target));
}
void X86Emitter::push(Reg r) {
    rex(false, 0, n(r));
    byte(static_cast<uint8_t>(0x50 + (n(r) & 7)));
}
void X86Emitter::pop(Reg r) {
    rex(false, 0, n(r));
    byte(static_cast<uint8_t>(0x58 + (n(r) & 7)));
}
void X86Emitter::ret() {
    byte(0xc3);
}

size_t X86Emitter::jcc(Cond c) {
    byte(0x0f);
    byte(static_cast<uint8_t>(0x80 + static_cast<unsigned>(c)));
    size_t at = buf_.size();
    u32(0);
    return at;
}
size_t X86Emitter::jmp() {
    byte(0xe9);
    size_t at = buf_.size();
    u32(0);
    return at;
}
void X86Emitter::patch_rel32(size_t at, size_t target) {
    auto rel = static_cast<uint32_t>(static_cast<int64_t>(target) - static_cast<int64_t>(at + 4));
    for (int i = 0; i < 4; ++i)
        buf_[at + i] = static_cast<uint8_t>(rel >> (8 * i));
}
void X86Emitter::bind(size_t jump_at) {
    patch_rel32(jump_at, buf_.size());
}
void X86Emitter::jcc_back(Cond c, size_t target) {
    patch_rel32(jcc(c), target);
}
void X86Emitter::jmp_back(size_t target) {
    patch_rel32(jmp(), target);
}

} // namespace vmc::emu::jit
