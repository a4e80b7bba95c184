// The x86-64 encoder of the block translator against the bytes GNU as
// produces for the same instructions (objdump -d -M intel, written down
// here). Pure byte generation: it runs on every host.
#include <catch2/catch.hpp>

#include <vector>

#include "engine/emu/jit/x86_emitter.hpp"

using namespace vmc::emu::jit;

TEST_CASE("x86 encoder matches the GNU assembler", "[emu][jit]") {
    X86Emitter e;
    e.mov(Reg::ax, Mem{Reg::bx, 0x10});             // mov eax,[rbx+0x10]
    e.mov(Mem{Reg::bx, 0x200}, Reg::r9);            // mov [rbx+0x200],r9d
    e.mov(Mem{Reg::bx, 8}, 0x12345678u);            // mov dword [rbx+8],0x12345678
    e.mov(Reg::r13, 5u);                            // mov r13d,5
    e.mov64(Reg::ax, 0x1122334455667788ull);        // movabs rax,...
    e.movzx8(Reg::ax, Mem{Reg::cx, 0, Reg::dx});    // movzx eax,byte [rcx+rdx]
    e.movzx16(Reg::ax, Mem{Reg::cx, 0, Reg::dx});   // movzx eax,word [rcx+rdx]
    e.mov8(Mem{Reg::cx, 0, Reg::dx}, Reg::si);      // mov [rcx+rdx],sil
    e.mov16(Mem{Reg::cx, 0, Reg::dx}, Reg::ax);     // mov [rcx+rdx],ax
    e.mov64(Reg::cx, Mem{Reg::bx, 0x300, Reg::cx}); // mov rcx,[rbx+rcx+0x300]
    e.bswap(Reg::r9);                               // bswap r9d
    e.rol16(Reg::ax, 8);                            // rol ax,8
    e.inc64(Mem{Reg::bx, 0x40});                    // inc qword [rbx+0x40]
    e.lea(Reg::ax, Mem{Reg::r13, 0x7c});            // lea eax,[r13+0x7c]
    e.lea64(Reg::ax, Mem{Reg::r14, 3});             // lea rax,[r14+3]
    e.alu64(Alu::add, Reg::r12, 0x12345);           // add r12,0x12345
    e.alu64(Alu::cmp, Reg::r12, Reg::dx);           // cmp r12,rdx
    e.shift64(Shift::shl, Reg::dx, 32);             // shl rdx,32
    e.alu64(Alu::or_, Reg::dx, Mem{Reg::bx, 0x88}); // or rdx,[rbx+0x88]
    e.imul(Reg::ax, Mem{Reg::bx, 0x14}, 1000);      // imul eax,[rbx+0x14],1000
    e.setcc(Cond::l, Reg::ax);                      // setl al
    e.push(Reg::r12);                               // push r12
    e.pop(Reg::bx);                                 // pop rbx
    e.call(Reg::ax);                                // call rax
    e.jmp(Reg::si);                                 // jmp rsi
    e.cmp8(Mem{Reg::bx, 0x30}, 0);                  // cmp byte [rbx+0x30],0
    e.test(Mem{Reg::bx, 4}, 0x80u);                 // test dword [rbx+4],0x80
    const std::vector<uint8_t> expected = {
        0x8b, 0x43, 0x10,                                           //
        0x44, 0x89, 0x8b, 0x00, 0x02, 0x00, 0x00,                   //
        0xc7, 0x43, 0x08, 0x78, 0x56, 0x34, 0x12,                   //
        0x41, 0xbd, 0x05, 0x00, 0x00, 0x00,                         //
        0x48, 0xb8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, //
        0x0f, 0xb6, 0x04, 0x11,                                     //
        0x0f, 0xb7, 0x04, 0x11,                                     //
        0x40, 0x88, 0x34, 0x11,                                     //
        0x66, 0x89, 0x04, 0x11,                                     //
        0x48, 0x8b, 0x8c, 0x0b, 0x00, 0x03, 0x00, 0x00,             //
        0x41, 0x0f, 0xc9,                                           //
        0x66, 0xc1, 0xc0, 0x08,                                     //
        0x48, 0xff, 0x43, 0x40,                                     //
        0x41, 0x8d, 0x45, 0x7c,                                     //
        0x49, 0x8d, 0x46, 0x03,                                     //
        0x49, 0x81, 0xc4, 0x45, 0x23, 0x01, 0x00,                   //
        0x49, 0x39, 0xd4,                                           //
        0x48, 0xc1, 0xe2, 0x20,                                     //
        0x48, 0x0b, 0x93, 0x88, 0x00, 0x00, 0x00,                   //
        0x69, 0x43, 0x14, 0xe8, 0x03, 0x00, 0x00,                   //
        0x0f, 0x9c, 0xc0,                                           //
        0x41, 0x54,                                                 //
        0x5b,                                                       //
        0xff, 0xd0,                                                 //
        0xff, 0xe6,                                                 //
        0x80, 0x7b, 0x30, 0x00,                                     //
        0xf7, 0x43, 0x04, 0x80, 0x00, 0x00, 0x00,                   //
    };
    CHECK(e.code() == expected);
}

TEST_CASE("x86 encoder jumps are relative and patched by position", "[emu][jit]") {
    X86Emitter e;
    const size_t top = e.size();
    const size_t forward = e.jcc(Cond::ne); // 0f 85 rel32
    e.ret();
    e.bind(forward);         // lands after the ret: rel32 = 1
    e.jmp_back(top);         // e9 rel32 back to 0
    e.lea_rip(Reg::cx, top); // 48 8d 0d rel32
    const std::vector<uint8_t> expected = {0x0f, 0x85, 0x01, 0x00, 0x00, 0x00, 0xc3,
                                           0xe9, 0xf4, 0xff, 0xff, 0xff, 0x48, 0x8d,
                                           0x0d, 0xed, 0xff, 0xff, 0xff};
    CHECK(e.code() == expected);
}
