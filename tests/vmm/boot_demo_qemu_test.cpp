// The bare-metal demo follows the boot protocol QEMU's ppce500 implements:
// run it there (when QEMU and the cross-built demo exist) and check that it
// gets through every stage and powers the machine off.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <string>
#include <sys/wait.h>

namespace {
std::string run(const std::string& command, int& status) {
    std::string out;
    FILE* p = popen(command.c_str(), "r");
    if (!p) return out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        out.append(buf, n);
    status = pclose(p);
    return out;
}
} // namespace

TEST_CASE("the bare-metal demo runs to power-off on QEMU's ppce500") {
    const std::string elf = VMC_BINARY_DIR "/examples/demo/demo.elf";
    int status = -1;
    run("command -v qemu-system-ppc >/dev/null", status);
    if (status != 0 || !std::filesystem::exists(elf)) {
        WARN("qemu-system-ppc or " << elf << " missing: skipped");
        return;
    }

    std::string console = run("timeout 30 qemu-system-ppc -M ppce500 -cpu e500mc -m 256 "
                              "-nographic -monitor none -nic none -kernel " +
                                  elf + " 2>&1",
                              status);
    INFO(console);

    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0); // GPIO power-off ends QEMU with status 0
    const char* expected[] = {
        "Hello from the vmcompose bare-metal demo",
        "device tree at 01800000, magic d00dfeed",
        // Found through QEMU's own device tree.
        "console serial@4500 at fe0004500",
        "timebase 400000000 Hz",
        "mpic pic@40000 at fe0040000",
        "power-off gpio controller gpio@ff000 at fe00ff000",
        "decrementer: 5 ticks",
        "EPR vector 0x42 (IPI 0) ok",
        "0 virtio-mmio device(s) found", // QEMU's tree lists none
        "demo: powering off",
    };
    size_t at = 0;
    for (const char* line : expected) {
        size_t found = console.find(line, at);
        CHECK(found != std::string::npos);
        if (found != std::string::npos) at = found;
    }
}
