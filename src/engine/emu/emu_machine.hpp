// The emulator engine: N cores interleaved on the VM thread with a fixed
// instruction quantum (deterministic in instruction-count mode), device
// timers and host I/O polled between slices, and a blocking poll when every
// vCPU sleeps in `wait`.
#pragma once

#include <memory>
#include <vector>

#include "engine/emu/core.hpp"
#include "engine/emu/debug_target.hpp"
#include "engine/emu/emu_engine.hpp"

namespace vmc::emu {

class EmuMachine : public vmm::Engine {
public:
    EmuMachine(vmm::Vm& vm, const EmuOptions& options);
    ~EmuMachine() override;

    void reset() override;
    void run() override;
    std::string dump_state() const override;
    void start_cpu(unsigned cpu, const vmm::CpuBootState& state) override;

    debug::Target* debug_target() override;

    Core& core(unsigned n) { return *cores_[n]; }
    const Core& core(unsigned n) const { return *cores_[n]; }
    vmm::Vm& vm() { return vm_; }
    const CodeStats& code_stats() const { return shared_.code.stats; }
    const jit::JitStats& jit_stats() const { return shared_.jit.stats; }
    uint64_t idle_ns() const { return idle_ns_; }
    unsigned core_count() const { return static_cast<unsigned>(cores_.size()); }
    uint64_t instructions() const;

    // Instructions each running vCPU executes before the next one gets its turn.
    static constexpr uint64_t kQuantum = 8192;

private:
    void idle();
    void stop_on_checkstop(Core& core);

    vmm::Vm& vm_;
    Shared shared_;
    std::vector<std::unique_ptr<Core>> cores_;
    uint64_t last_poll_ns_ = 0;
    uint64_t idle_ns_ = 0; // host time spent in idle()
    std::unique_ptr<EmuDebug> debug_;
    bool debug_active_ = false; // a debugger is attached: run() consults debug_
};

} // namespace vmc::emu
