// Engines as `--accel` names them. Each engine's folder defines its kind
// (engine/<name>/engine_kind.cpp); engine/registry.cpp lists them in the
// order `--accel auto` tries them. The run loop (vmm::run) and the CLI only
// see this interface and vmm::Engine.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fdt/compile.hpp"
#include "vmm/engine.hpp"

namespace vmc::engine {

struct Options {
    bool jit = true;             // emu: translate hot guest code (off: --no-jit)
    std::string trace_exec_path; // emu: --trace exec=FILE (empty: off)
    bool verbose = false;        // say on stderr what the engine found on the host
};

// An engine running a VM, with what it needs kept alive beside it.
struct Started {
    std::shared_ptr<void> support; // outlives the engine (declared first, destroyed last)
    std::unique_ptr<vmm::Engine> engine;
    fdt::CompileInputs
        tree; // what the engine adds to every device tree (KVM: /hypervisor, host clocks)
};

// Whether this host can run an engine.
struct HostFit {
    std::string summary;              // "KVM on the host's e5500", "built-in emulator"
    std::vector<std::string> missing; // what the host lacks, one sentence each; empty: it fits
};

struct EngineKind {
    std::string_view name;  // `--accel NAME`
    std::string_view label; // how messages name it ("KVM", "the built-in emulator")
    HostFit (*check_host)();
    // Interrupts reach the guest through the engine's own controller (KVM's
    // in-kernel MPIC): vmm::build then leaves the interrupt controller device
    // unconnected, and the engine connects the VM's interrupt lines itself.
    bool in_kernel_interrupt_controller = false;
    // Creates the engine for `vm`; throws std::runtime_error saying why it cannot.
    Started (*start)(vmm::Vm& vm, const Options& options) = nullptr;
};

// In the order `--accel auto` tries them.
std::span<const EngineKind* const> engine_kinds();

struct Choice {
    const EngineKind* kind = nullptr; // nullptr: `error` says why
    std::string note;                 // for --verbose: which engine and why
    std::string error;
};
// The engine `--accel accel` means on this host: a named one that can run
// here, or with "auto" the first that can.
Choice choose_engine(std::string_view accel);

} // namespace vmc::engine
