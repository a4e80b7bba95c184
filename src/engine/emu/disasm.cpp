// Trace disassembler: prints the operands the instruction list names for
// each line. Good enough to read a trace, not a full objdump.
#include <fmt/format.h>

#include <string_view>

#include "engine/emu/decode.hpp"

namespace vmc::emu {

namespace {

std::string operand(std::string_view tok, Insn i, uint32_t pc) {
    if (tok == "t" || tok == "s") return fmt::format("r{}", i.rt());
    if (tok == "a") return fmt::format("r{}", i.ra());
    if (tok == "b") return fmt::format("r{}", i.rb());
    if (tok == "si") return fmt::format("{}", i.simm());
    if (tok == "ui") return fmt::format("0x{:x}", i.uimm());
    if (tok == "d") return fmt::format("{}(r{})", i.simm(), i.ra());
    if (tok == "bf") return fmt::format("cr{}", i.bf());
    if (tok == "bfa") return fmt::format("cr{}", i.bfa());
    if (tok == "to" || tok == "bo") return fmt::format("{}", i.rt());
    if (tok == "bi") return fmt::format("{}", i.bi());
    if (tok == "bd") return fmt::format("0x{:x}", (i.aa() ? 0 : pc) + i.bd());
    if (tok == "li") return fmt::format("0x{:x}", (i.aa() ? 0 : pc) + i.li());
    if (tok == "sh") return fmt::format("{}", i.sh());
    if (tok == "mb") return fmt::format("{}", i.mb());
    if (tok == "me") return fmt::format("{}", i.me());
    if (tok == "crd") return fmt::format("{}", i.rt());
    if (tok == "cra") return fmt::format("{}", i.crba());
    if (tok == "crb") return fmt::format("{}", i.crbb());
    if (tok == "crc") return fmt::format("{}", i.crbc());
    if (tok == "spr") return fmt::format("{}", i.spr());
    if (tok == "fxm") return fmt::format("0x{:x}", i.fxm());
    if (tok == "e") return fmt::format("{}", (i.raw >> 15) & 1);
    return "?";
}

} // namespace

std::string disassemble(uint32_t raw, uint32_t pc) {
    const InsnInfo& info = decode(raw);
    Insn i{raw};
    std::string text = info.mnemonic;
    if (info.handler == &illegal_insn) return fmt::format(".long 0x{:08x}", raw);
    std::string_view ops = info.operands;
    bool xo_form = info.xo_mask == 0x1ff;
    if (xo_form && i.oe()) text += 'o';
    bool has_rc =
        info.primary == 31 || info.primary == 20 || info.primary == 21 || info.primary == 23;
    if (info.flags & kEndsBlock && (info.primary == 16 || info.primary == 18 ||
                                    (info.primary == 19 && (info.xo == 16 || info.xo == 528)))) {
        if (i.lk()) text += 'l';
        if (info.primary != 19 && i.aa()) text += 'a';
    } else if (has_rc && i.rc() && text.back() != '.') {
        text += '.';
    }
    bool first = true;
    while (!ops.empty()) {
        size_t comma = ops.find(',');
        std::string_view tok = ops.substr(0, comma);
        text += first ? " " : ",";
        text += operand(tok, i, pc);
        first = false;
        if (comma == std::string_view::npos) break;
        ops.remove_prefix(comma + 1);
    }
    return text;
}

} // namespace vmc::emu
