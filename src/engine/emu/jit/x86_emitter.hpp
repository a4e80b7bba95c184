// A small x86-64 instruction encoder: exactly the forms the block translator
// emits, 32-bit operations on registers and on [base + displacement] memory
// operands, plus the calls, jumps and stack operations of a block's frame.
// Code goes into a growable buffer; jumps are rel32 and patched by position,
// so a finished block is position-independent and can be copied anywhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vmc::emu::jit {

enum class Reg : uint8_t { ax, cx, dx, bx, sp, bp, si, di, r8, r9, r10, r11, r12, r13, r14, r15 };
enum class Cond : uint8_t { o, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g };
enum class Alu : uint8_t { add = 0, or_ = 1, and_ = 4, sub = 5, xor_ = 6, cmp = 7 };
enum class Shift : uint8_t { rol = 0, shl = 4, shr = 5, sar = 7 };

// A memory operand: [base + disp], or [base + index + disp] when an index
// is given (rsp cannot be an index: it stands for none).
struct Mem {
    Reg base;
    int32_t disp;
    Reg index = Reg::sp;
};

class X86Emitter {
public:
    const std::vector<uint8_t>& code() const { return buf_; }
    size_t size() const { return buf_.size(); }

    // 32-bit data movement.
    void mov(Reg dst, Mem src);        // mov r32, [m]
    void mov(Mem dst, Reg src);        // mov [m], r32
    void mov(Mem dst, uint32_t imm);   // mov dword [m], imm32
    void mov(Reg dst, uint32_t imm);   // mov r32, imm32
    void mov(Reg dst, Reg src);        // mov r32, r32
    void mov64(Reg dst, Reg src);      // mov r64, r64
    void mov64(Reg dst, uint64_t imm); // mov r64, imm64
    void movzx8(Reg dst, Reg src);     // movzx r32, r8 (ax..bx only)
    void movzx8(Reg dst, Mem src);     // movzx r32, byte [m]
    void movzx16(Reg dst, Mem src);    // movzx r32, word [m]
    void mov8(Mem dst, uint8_t imm);   // mov byte [m], imm8
    void mov8(Mem dst, Reg src);       // mov byte [m], r8
    void mov16(Mem dst, Reg src);      // mov word [m], r16
    void mov64(Reg dst, Mem src);      // mov r64, [m]
    void mov64(Mem dst, Reg src);      // mov [m], r64
    void lea_rip(Reg dst, size_t at);  // lea r64, [rip + ...]: the address of position `at`
    void bswap(Reg r);                 // bswap r32
    void rol16(Reg r, uint8_t count);  // rol r16, imm8
    void inc64(Mem m);                 // inc qword [m]
    void lea(Reg dst, Mem src);        // lea r32, [m]
    void lea64(Reg dst, Mem src);      // lea r64, [m]

    // 32-bit arithmetic and logic.
    void alu(Alu op, Reg dst, Reg src);
    void alu(Alu op, Reg dst, Mem src);
    void alu(Alu op, Reg dst, uint32_t imm);
    void alu(Alu op, Mem dst, uint32_t imm);
    void alu64(Alu op, Reg dst, int32_t imm);
    void alu64(Alu op, Reg dst, Mem src);
    void alu64(Alu op, Reg dst, Reg src);
    void shift64(Shift op, Reg r, uint8_t count);
    void imul(Reg dst, Mem src);               // imul r32, [m]
    void imul(Reg dst, Mem src, uint32_t imm); // imul r32, [m], imm32
    void not_(Reg r);
    void shift(Shift op, Reg r, uint8_t count);
    void test(Mem m, uint32_t imm); // test dword [m], imm32
    void test(Reg a, Reg b);        // test r32, r32
    void cmp8(Mem m, uint8_t imm);  // cmp byte [m], imm8
    void setcc(Cond c, Reg r);      // ax..bx only

    // Control.
    void call(Reg target);
    void jmp(Reg target);
    void push(Reg r);
    void pop(Reg r);
    void ret();
    // Forward jumps: emit, then bind() the returned position to where they go.
    size_t jcc(Cond c);
    size_t jmp();
    void bind(size_t jump_at);
    // Backward jumps to a position already emitted.
    void jcc_back(Cond c, size_t target);
    void jmp_back(size_t target);

private:
    void byte(uint8_t b) { buf_.push_back(b); }
    void u32(uint32_t v);
    void rex(bool w, unsigned reg, unsigned base, bool force = false);
    void rex(bool w, unsigned reg, Mem m, bool force = false);
    void modrm(unsigned reg, Mem m);
    void modrm_reg(unsigned reg, unsigned rm) {
        byte(static_cast<uint8_t>(0xc0 | (reg & 7) << 3 | (rm & 7)));
    }
    void patch_rel32(size_t at, size_t target);

    std::vector<uint8_t> buf_;
};

} // namespace vmc::emu::jit
