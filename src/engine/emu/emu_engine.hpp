// The built-in e500mc emulator as a vmm::Engine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "vmm/engine.hpp"

namespace vmc::emu {

struct EmuOptions {
    // Instruction-count clock (vm.clock in Instructions mode): guest
    // nanoseconds per executed instruction.
    uint32_t ns_per_instruction = 1;
    // Stop with ExitReason::Error after this many instructions (0: no limit). For tests.
    uint64_t instruction_limit = 0;
    std::string trace_exec_path; // --trace exec=FILE (empty: off)
    // A Linux boot writes tens of gigabytes of instruction trace: the trace
    // stops, saying so in its last line, before the file passes this size.
    uint64_t trace_limit_bytes = 1ull << 30;
    // Translate hot guest code to host code (x86-64 hosts); off: --no-jit.
    bool jit = true;
    // Host code arena for translated blocks; full, it is emptied and refilled.
    size_t jit_arena_bytes = 32u << 20;
};

std::unique_ptr<vmm::Engine> create_engine(vmm::Vm& vm, const EmuOptions& options);

// Guest instructions executed so far by every vCPU of an engine create_engine()
// made (0 for any other engine): benchmarks report guest MIPS from it.
uint64_t instructions_executed(const vmm::Engine& engine);

} // namespace vmc::emu
