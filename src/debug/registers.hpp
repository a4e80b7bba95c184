// The registers a debugger sees on an e500mc, numbered as in the target
// description the GDB stub sends (gdb's power-core and power-fpu features,
// then the Book E SPRs under the stub's own feature).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace vmc::debug {

struct RegisterId {
    enum class Kind { Gpr, Fpr, Pc, Msr, Cr, Lr, Ctr, Xer, Fpscr, Spr };
    Kind kind = Kind::Gpr;
    unsigned index = 0; // Gpr/Fpr: the register number; Spr: the SPR number
    bool operator==(const RegisterId&) const = default;
};

struct RegisterInfo {
    std::string_view name;
    unsigned bits; // 32, or 64 for the FPRs
    RegisterId id;
    std::string_view group; // gdb register group ("general", "float", "system")
};

// Every register in target-description order: entry n is gdb register n.
std::span<const RegisterInfo> registers();

// The register gdb numbers `regnum`, or nullopt.
std::optional<RegisterInfo> register_info(unsigned regnum);

// The target description XML (target.xml).
std::string_view target_xml();

} // namespace vmc::debug
