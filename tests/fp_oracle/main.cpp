// vmc-fp-oracle: compares vmcompose's FPU with the exact reference on
// random and edge cases, and classifies QEMU's recorded vectors.
//   vmc-fp-oracle [--cases N] [--seed S] [--qemu VECTORS] [--show K]
// Exits 1 when vmcompose disagrees with the reference anywhere.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "fp_oracle/check.hpp"
#include "fp_oracle/qemu_vectors.hpp"

using namespace vmc::fp_oracle;

namespace {

struct Options {
    uint64_t cases = 100000;
    uint64_t seed = 1;
    std::string qemu;
    int show = 20;
};

[[noreturn]] void usage(const char* why) {
    std::fprintf(stderr,
                 "vmc-fp-oracle: %s\n"
                 "usage: vmc-fp-oracle [--cases N] [--seed S] [--qemu VECTORS] [--show K]\n",
                 why);
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (i + 1 >= argc) usage(("flag " + flag + " needs a value").c_str());
        const char* value = argv[++i];
        char* end = nullptr;
        if (flag == "--cases") {
            o.cases = std::strtoull(value, &end, 0);
        } else if (flag == "--seed") {
            o.seed = std::strtoull(value, &end, 0);
        } else if (flag == "--show") {
            o.show = static_cast<int>(std::strtol(value, &end, 0));
        } else if (flag == "--qemu") {
            o.qemu = value;
            continue;
        } else {
            usage(("unknown flag " + flag).c_str());
        }
        if (end == value || *end != '\0')
            usage((flag + " expects a number, got '" + value + "'").c_str());
    }
    return o;
}

// Random and edge cases, spread over every instruction.
int run_random(const Options& o) {
    CaseGenerator gen(o.seed);
    const auto list = instructions();
    uint64_t failures = 0;
    const auto start = std::chrono::steady_clock::now();
    for (uint64_t n = 0; n < o.cases; ++n) {
        const Instruction& insn = list[n % list.size()];
        const Case c = gen.next(insn);
        const std::string diff = differences(reference(c.insn, c.before), run_vmcompose(c));
        if (diff.empty()) continue;
        if (static_cast<int>(failures) < o.show)
            std::printf("MISMATCH %s %s =>%s\n", insn.name, describe(c).c_str(), diff.c_str());
        ++failures;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("random: %llu cases (seed %llu) over %zu instructions in %.1f s: %llu mismatches\n",
                static_cast<unsigned long long>(o.cases), static_cast<unsigned long long>(o.seed),
                list.size(), seconds, static_cast<unsigned long long>(failures));
    return failures == 0 ? 0 : 1;
}

int run_qemu(const Options& o) {
    const VectorReport r = classify_qemu_vectors(o.qemu);
    std::printf("qemu vectors: %d, QEMU agrees with the reference on %d\n", r.vectors,
                r.qemu_agrees);
    for (const auto& [why, count] : r.qemu_deviations)
        std::printf("  QEMU deviation (%d): %s\n", count, why.c_str());
    for (size_t i = 0; i < r.qemu_unexplained.size(); ++i)
        if (static_cast<int>(i) < o.show)
            std::printf("  QEMU differs, unexplained: %s\n", r.qemu_unexplained[i].c_str());
    std::printf("  unexplained QEMU differences: %zu\n", r.qemu_unexplained.size());
    for (size_t i = 0; i < r.vmcompose_wrong.size(); ++i)
        if (static_cast<int>(i) < o.show)
            std::printf("MISMATCH vmcompose on %s\n", r.vmcompose_wrong[i].c_str());
    std::printf("  vmcompose disagrees with the reference on %zu vectors\n",
                r.vmcompose_wrong.size());
    return r.vmcompose_wrong.empty() && r.vectors > 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    int status = o.cases > 0 ? run_random(o) : 0;
    if (!o.qemu.empty()) status |= run_qemu(o);
    return status;
}
