#include "debug/registers.hpp"

#include <array>
#include <initializer_list>
#include <string>

#include "arch/booke/sprs.hpp"

namespace vmc::debug {

namespace {

using K = RegisterId::Kind;
namespace S = arch::booke::spr;

constexpr RegisterInfo gpr(std::string_view name, unsigned n) {
    return {name, 32, {K::Gpr, n}, "general"};
}
constexpr RegisterInfo fpr(std::string_view name, unsigned n) {
    return {name, 64, {K::Fpr, n}, "float"};
}
// Names and numbers from the one SPR table (arch/booke/sprs.hpp); a number
// missing from it does not compile.
constexpr RegisterInfo spr(unsigned n) {
    return {arch::booke::find_spr(n)->name, 32, {K::Spr, n}, "system"};
}

// gdb's org.gnu.gdb.power.core puts pc at 64 after the FPRs at 32-63, and
// org.gnu.gdb.power.fpu puts fpscr at 70: the numbering below follows them.
constexpr std::array kRegisters = {
    gpr("r0", 0),
    gpr("r1", 1),
    gpr("r2", 2),
    gpr("r3", 3),
    gpr("r4", 4),
    gpr("r5", 5),
    gpr("r6", 6),
    gpr("r7", 7),
    gpr("r8", 8),
    gpr("r9", 9),
    gpr("r10", 10),
    gpr("r11", 11),
    gpr("r12", 12),
    gpr("r13", 13),
    gpr("r14", 14),
    gpr("r15", 15),
    gpr("r16", 16),
    gpr("r17", 17),
    gpr("r18", 18),
    gpr("r19", 19),
    gpr("r20", 20),
    gpr("r21", 21),
    gpr("r22", 22),
    gpr("r23", 23),
    gpr("r24", 24),
    gpr("r25", 25),
    gpr("r26", 26),
    gpr("r27", 27),
    gpr("r28", 28),
    gpr("r29", 29),
    gpr("r30", 30),
    gpr("r31", 31),
    fpr("f0", 0),
    fpr("f1", 1),
    fpr("f2", 2),
    fpr("f3", 3),
    fpr("f4", 4),
    fpr("f5", 5),
    fpr("f6", 6),
    fpr("f7", 7),
    fpr("f8", 8),
    fpr("f9", 9),
    fpr("f10", 10),
    fpr("f11", 11),
    fpr("f12", 12),
    fpr("f13", 13),
    fpr("f14", 14),
    fpr("f15", 15),
    fpr("f16", 16),
    fpr("f17", 17),
    fpr("f18", 18),
    fpr("f19", 19),
    fpr("f20", 20),
    fpr("f21", 21),
    fpr("f22", 22),
    fpr("f23", 23),
    fpr("f24", 24),
    fpr("f25", 25),
    fpr("f26", 26),
    fpr("f27", 27),
    fpr("f28", 28),
    fpr("f29", 29),
    fpr("f30", 30),
    fpr("f31", 31),
    RegisterInfo{"pc", 32, {K::Pc, 0}, "general"},
    RegisterInfo{"msr", 32, {K::Msr, 0}, "general"},
    RegisterInfo{"cr", 32, {K::Cr, 0}, "general"},
    RegisterInfo{"lr", 32, {K::Lr, 0}, "general"},
    RegisterInfo{"ctr", 32, {K::Ctr, 0}, "general"},
    RegisterInfo{"xer", 32, {K::Xer, 0}, "general"},
    RegisterInfo{"fpscr", 32, {K::Fpscr, 0}, "float"},
    // Book III-E SPRs, in the order gdb numbers them.
    spr(S::SRR0),
    spr(S::SRR1),
    spr(S::CSRR0),
    spr(S::CSRR1),
    spr(S::MCSRR0),
    spr(S::MCSRR1),
    spr(S::DSRR0),
    spr(S::DSRR1),
    spr(S::DEAR),
    spr(S::ESR),
    spr(S::MCSR),
    spr(S::MCAR),
    spr(S::PID),
    spr(S::IVPR),
    spr(S::SPRG0),
    spr(S::SPRG1),
    spr(S::SPRG2),
    spr(S::SPRG3),
    spr(S::SPRG4),
    spr(S::SPRG5),
    spr(S::SPRG6),
    spr(S::SPRG7),
    spr(S::USPRG0),
    spr(S::DEC),
    spr(S::DECAR),
    spr(S::TCR),
    spr(S::TSR),
    spr(S::TBL_R),
    spr(S::TBU_R),
    spr(S::PIR),
    spr(S::PVR),
    spr(S::SVR),
    spr(S::EPR),
    spr(S::MAS0),
    spr(S::MAS1),
    spr(S::MAS2),
    spr(S::MAS3),
    spr(S::MAS4),
    spr(S::MAS6),
    spr(S::MAS7),
    spr(S::DBCR0),
    spr(S::DBSR),
    spr(S::HID0),
    spr(S::L1CSR0),
};

static_assert(kRegisters[64].id.kind == K::Pc && kRegisters[70].id.kind == K::Fpscr);

std::string reg_xml(size_t n) {
    const RegisterInfo& r = kRegisters[n];
    std::string type = r.id.kind == K::Fpr             ? "ieee_double"
                       : r.id.kind == K::Pc            ? "code_ptr"
                       : r.id == RegisterId{K::Gpr, 1} ? "data_ptr"
                                                       : "uint32";
    return "    <reg name=\"" + std::string(r.name) + "\" bitsize=\"" + std::to_string(r.bits) +
           "\" regnum=\"" + std::to_string(n) + "\" type=\"" + type + "\" group=\"" +
           std::string(r.group) + "\"/>\n";
}

struct Run {
    size_t first, last;
};

std::string feature_xml(std::string_view name, std::initializer_list<Run> runs) {
    std::string xml = "  <feature name=\"" + std::string(name) + "\">\n";
    for (const Run& run : runs)
        for (size_t n = run.first; n <= run.last; ++n)
            xml += reg_xml(n);
    return xml + "  </feature>\n";
}

std::string build_xml() {
    return "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
           "<target version=\"1.0\">\n  <architecture>powerpc:e500mc</architecture>\n" +
           feature_xml("org.gnu.gdb.power.core", {{0, 31}, {64, 69}}) +
           feature_xml("org.gnu.gdb.power.fpu", {{32, 63}, {70, 70}}) +
           feature_xml("org.vmcompose.e500mc.spr", {{71, kRegisters.size() - 1}}) + "</target>\n";
}

} // namespace

std::span<const RegisterInfo> registers() {
    return kRegisters;
}

std::optional<RegisterInfo> register_info(unsigned regnum) {
    if (regnum >= kRegisters.size()) return std::nullopt;
    return kRegisters[regnum];
}

std::string_view target_xml() {
    static const std::string xml = build_xml();
    return xml;
}

} // namespace vmc::debug
