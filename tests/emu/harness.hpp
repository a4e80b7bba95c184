// A tiny machine for the core's tests: 64 MiB of RAM at 0 mapped 1:1 by
// TLB1[0], instruction-count clock, and snippets assembled with
// powerpc-linux-gnu-as at test time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/emu/core.hpp"
#include "engine/emu/emu_machine.hpp"
#include "model/machine.hpp"
#include "vmm/vm.hpp"

namespace vmc::emu::test {

// Assembles PowerPC source (e500mc, 32-bit; or e5500, 64-bit) into
// big-endian instruction words. Returns an empty vector when the cross
// assembler is missing.
std::vector<uint8_t> assemble(const std::string& source, bool e5500 = false);
// Whether the cross assembler is here. When it is not, the calling test case
// is reported as skipped (a warning in the output), or fails under CI=true.
bool have_assembler();

model::Machine small_machine(unsigned cpus = 1, const std::string& cpu_model = "e500mc");

struct TestVm {
    explicit TestVm(unsigned cpus = 1, const EmuOptions& options = {},
                    const std::string& cpu_model = "e500mc");
    model::Machine machine;
    std::unique_ptr<vmm::Vm> vm;
    std::unique_ptr<EmuMachine> engine;
    Core& cpu(unsigned n = 0) { return engine->core(n); }

    static constexpr uint32_t kCodeBase = 0x10000;
    // Loads `source` at kCodeBase (with a trailing `b .`), sets pc there and
    // returns the address of that final branch.
    uint32_t load(const std::string& source, uint32_t at = kCodeBase);
    // Single-steps cpu n until pc == end or `max` instructions ran. Returns true when pc reached
    // end.
    bool run_to(uint32_t end, unsigned n = 0, uint64_t max = 100000);
    uint32_t read32(uint64_t pa) { return static_cast<uint32_t>(*vm->ram.read_be(pa, 4)); }
    void write32(uint64_t pa, uint32_t v) { vm->ram.write_be(pa, v, 4); }
};

} // namespace vmc::emu::test
