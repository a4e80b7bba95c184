// Machine files: load -> resolve -> validate -> build the model -> compile
// the device tree. Every input ends in diagnostics or in a valid blob; a
// machine that passed validation and still cannot be described as a device
// tree is a bug in the checks, so it aborts like a crash.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "config/load.hpp"
#include "fdt/check.hpp"
#include "fdt/compile.hpp"
#include "temp_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    vmc::fuzz::TempFile file({data, size}, ".yaml");
    vmc::config::Diagnostics diagnostics;
    auto machine = vmc::config::load_machine({file.path(), {}}, diagnostics);
    if (!machine) {
        if (!diagnostics.has_errors()) {
            std::fprintf(stderr, "machine refused without a diagnostic\n");
            std::abort();
        }
        // The printer quotes the offending source line: it reads the file again.
        (void)vmc::config::format_diagnostics(diagnostics);
        return 0;
    }
    try {
        auto blob = vmc::fdt::compile(*machine, {});
        // check_blob: fdt_check_full where libfdt has it, else the same
        // structural check (the libfdt a cross build compiles in lacks it).
        if (vmc::fdt::check_blob(blob.data(), blob.size()) != 0) {
            std::fprintf(stderr, "compile() returned an invalid blob\n");
            std::abort();
        }
    } catch (const std::runtime_error& e) {
        std::fprintf(stderr, "validated machine has no device tree: %s\n", e.what());
        std::abort();
    }
    return 0;
}
