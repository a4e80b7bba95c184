#include "fp_oracle/qemu_vectors.hpp"

#include <fstream>
#include <sstream>

#include "fp_oracle/check.hpp"

namespace vmc::fp_oracle {
namespace {

constexpr uint32_t bit(unsigned n) {
    return 0x80000000u >> n;
}
constexpr uint32_t FX = bit(0), FEX = bit(1), OX = bit(3), UX = bit(4), XX = bit(6), VXVC = bit(12),
                   FR = bit(13), FI = bit(14), FPRF = 0x1Fu << 12, FPRF_C = 0x10u << 12,
                   CR1 = 0x0F000000u, CR1_FX = 0x08000000u;

struct Vector {
    std::string text, name;
    Case input;
    Observed qemu;
};

bool parse(const std::string& line, Vector& v) {
    std::istringstream in(line);
    std::string colon, outcome;
    uint64_t a, b, c, t_in, t_out;
    uint32_t fpscr_in, fpscr_out, cr;
    in >> v.name >> std::hex >> v.input.insn >> fpscr_in >> a >> b >> c >> t_in >> colon >> t_out >>
        fpscr_out >> cr >> outcome;
    if (!in || colon != ":") return false;
    v.text = line;
    Machine& m = v.input.before;
    m.fpr[kA] = a;
    m.fpr[kB] = b;
    m.fpr[kC] = c;
    m.fpr[kT] = t_in;
    m.fpscr = fpscr_in;
    v.qemu.after = m;
    v.qemu.after.fpr[kT] = t_out;
    v.qemu.after.fpscr = fpscr_out;
    v.qemu.after.cr = cr;
    v.qemu.trap = outcome == "trap" ? Trap::Enabled : outcome == "ill" ? Trap::Illegal : Trap::None;
    return true;
}

bool starts_with(const std::string& s, const char* prefix) {
    return s.rfind(prefix, 0) == 0;
}

// A known way QEMU 7.2 departs from the ISA: when it applies to a vector,
// the fields it explains are left out of the comparison.
struct Deviation {
    const char* what;
    bool (*applies)(const Vector&, const Expected&);
    uint32_t fpscr_bits;
    uint32_t cr_bits;
    bool value = false;
    bool trap = false;
};

bool single_format(const Vector& v) {
    return (v.input.insn >> 26) == 59 || starts_with(v.name, "frsp");
}

const Deviation kDeviations[] = {
    {"FPSCR[FR] is never written", [](const Vector&, const Expected&) { return true; }, FR, 0},
    {"fnmadd/fnmsub negate before rounding (the ISA rounds, then negates)",
     [](const Vector& v, const Expected&) {
         return starts_with(v.name, "fnm") && (v.input.before.fpscr & 3) >= 2;
     },
     FR | FI, 0, true},
    // Rounding the negated value in a directed mode moves the overflow and
    // underflow thresholds too: the result's class and the exceptions change.
    {"fnmadd/fnmsub negate before rounding, at the overflow/underflow threshold",
     [](const Vector& v, const Expected&) {
         return starts_with(v.name, "fnm") && (v.input.before.fpscr & 3) >= 2;
     },
     FPRF | OX | UX | XX | FX | FEX, CR1, true, true},
    {"FX is set again when the exception bit was already set",
     [](const Vector& v, const Expected& e) {
         return !(e.after.fpscr & FX) && (v.qemu.after.fpscr & FX);
     },
     FX, CR1_FX},
    {"single-precision results are classified (FPRF) in double format",
     [](const Vector& v, const Expected&) { return single_format(v); }, FPRF_C, 0},
    {"fres(+-0) returns +-0.5 instead of +-Inf with ZX",
     [](const Vector& v, const Expected&) {
         return starts_with(v.name, "fres") && (v.input.before.fpr[kB] << 1) == 0;
     },
     ~0u, CR1, true, true},
    {"fres/frsqrte set XX (the ISA does not alter it)",
     [](const Vector& v, const Expected&) {
         return (starts_with(v.name, "fres") || starts_with(v.name, "frsqrte")) &&
                (v.qemu.after.fpscr & ~v.input.before.fpscr & XX);
     },
     XX | FX | FEX, CR1, false, true},
    {"fcmpo with a NaN also sets FPRF[C], and VXVC for an SNaN with VE=1",
     [](const Vector& v, const Expected&) { return v.name == "fcmpo"; }, FPRF_C | VXVC | FX, 0},
    {"mtfsb1 of an exception bit does not set FX",
     [](const Vector& v, const Expected&) { return starts_with(v.name, "mtfsb1"); }, FX, CR1_FX},
    {"an enabled exception is delivered before CR1 is updated",
     [](const Vector& v, const Expected&) { return v.qemu.trap == Trap::Enabled; }, 0, CR1},
};

} // namespace

VectorReport classify_qemu_vectors(const std::string& path) {
    VectorReport report;
    std::ifstream in(path);
    if (!in) {
        report.vmcompose_wrong.push_back(path + ": cannot read the QEMU vectors");
        return report;
    }
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        Vector v;
        if (!parse(line, v)) {
            report.vmcompose_wrong.push_back(path + ": malformed vector: " + line);
            continue;
        }
        ++report.vectors;
        const Expected want = reference(v.input.insn, v.input.before);
        const std::string ours = differences(want, run_vmcompose(v.input));
        if (!ours.empty()) report.vmcompose_wrong.push_back(v.text + "  =>" + ours);
        if (differences(want, v.qemu).empty()) {
            ++report.qemu_agrees;
            continue;
        }
        // Apply the known deviations one after the other until QEMU agrees.
        Expected relaxed = want;
        std::string why;
        bool explained = false;
        for (const Deviation& d : kDeviations) {
            if (!d.applies(v, want)) continue;
            Expected next = relaxed;
            next.fpscr_undefined |= d.fpscr_bits;
            next.after.cr = (next.after.cr & ~d.cr_bits) | (v.qemu.after.cr & d.cr_bits);
            if (d.value) next.target_undefined = ~0ull;
            if (d.trap) next.trap = v.qemu.trap;
            if (differences(next, v.qemu) == differences(relaxed, v.qemu)) continue; // no help
            relaxed = next;
            why += why.empty() ? d.what : std::string("; ") + d.what;
            if (differences(relaxed, v.qemu).empty()) {
                explained = true;
                break;
            }
        }
        if (explained) {
            ++report.qemu_deviations[why];
        } else {
            report.qemu_unexplained.push_back(v.text + "  =>" + differences(want, v.qemu));
        }
    }
    return report;
}

} // namespace vmc::fp_oracle
