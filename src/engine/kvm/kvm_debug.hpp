// The KVM engine's side of the debugger interface (debug/target.hpp):
// registers through KVM_GET/SET_REGS and KVM_GET_SREGS, memory through guest
// RAM (effective addresses through the vCPU's shared TLB array, as its data
// accesses would translate), software breakpoints as the kernel's debug
// instruction (ONE_REG KVM_REG_PPC_DEBUG_INST) written over the guest's,
// hardware breakpoints and watchpoints as the e500's two IACs and two DACs
// (KVM_SET_GUEST_DEBUG with USE_HW_BP). The engine's run loop stops the
// vCPUs, calls the debugger and resumes them (kvm_engine.cpp).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "debug/target.hpp"
#include "engine/kvm/kvm_api.hpp"
#include "engine/kvm/vcpu.hpp"
#include "vmm/vm.hpp"

namespace vmc::kvm {

class KvmDebug final : public debug::Target {
public:
    // `online(cpu)`: the vCPU has been started (not held in the spin table).
    KvmDebug(KvmApi& api, vmm::Vm& vm, const std::vector<std::unique_ptr<Vcpu>>& vcpus,
             std::function<bool(unsigned)> online);

    void attach(debug::Debugger& debugger) override;
    void detach() override;
    void request_halt() override { halt_requested_ = true; }
    unsigned cpu_count() const override { return static_cast<unsigned>(vcpus_.size()); }
    bool cpu_online(unsigned cpu) const override { return cpu < vcpus_.size() && online_(cpu); }
    bool read_register(unsigned cpu, debug::RegisterId reg, uint64_t& value) override;
    bool write_register(unsigned cpu, debug::RegisterId reg, uint64_t value) override;
    size_t read_memory(unsigned cpu, uint64_t address, debug::AddressSpace space,
                       std::span<uint8_t> out) override;
    size_t write_memory(unsigned cpu, uint64_t address, debug::AddressSpace space,
                        std::span<const uint8_t> in) override;
    bool translate(unsigned cpu, uint64_t address, uint64_t& physical) override;
    bool insert_breakpoint(debug::BreakKind kind, uint64_t address, uint64_t length) override;
    bool remove_breakpoint(debug::BreakKind kind, uint64_t address, uint64_t length) override;
    void collect_stats(debug::RunStats& stats) const override;

    // ---- for the engine's run loop (VM thread, every vCPU outside KVM_RUN) ----
    debug::Debugger* debugger() const { return debugger_; }
    bool take_halt_request() { return halt_requested_.exchange(false); }
    // Programs KVM_SET_GUEST_DEBUG on every vCPU: software and hardware
    // breakpoints everywhere, except on `step_cpu` (if any), which executes
    // one instruction with none of them (so it can leave a breakpoint it is
    // stopped at) and with single-step on.
    void program(std::optional<unsigned> step_cpu);
    // What a KVM_EXIT_DEBUG on `cpu` means, from kvm_run.debug.
    debug::StopEvent stop_event(unsigned cpu, const uapi::Run& run, bool stepping) const;

private:
    struct SoftBreak {
        uint64_t pa;       // where the debug instruction was written
        uint32_t original; // the guest's instruction there
    };
    struct HardBreak {
        debug::BreakKind kind;
        uint64_t address, length;
    };
    struct PageCache {
        bool valid = false;
        uint64_t ea_page = 0, pa_page = 0;
    };
    bool physical_of(unsigned cpu, uint64_t address, debug::AddressSpace space, uint64_t& pa,
                     PageCache& cache);
    void write_code(uint64_t pa, uint32_t word);
    bool write_special(int fd, unsigned spr, uint32_t value);
    void restore_all_software();

    KvmApi& api_;
    vmm::Vm& vm_;
    const std::vector<std::unique_ptr<Vcpu>>& vcpus_;
    std::function<bool(unsigned)> online_;
    debug::Debugger* debugger_ = nullptr;
    uint32_t debug_inst_ = 0;            // the kernel's software breakpoint instruction
    std::map<uint64_t, SoftBreak> soft_; // by effective address
    std::vector<HardBreak> hard_;        // IACs and DACs, in insertion order
    bool soft_lifted_ = false;           // the guest's words are back for a step

    std::atomic<bool> halt_requested_{false}; // set from any thread (a device, Ctrl-C)
};

} // namespace vmc::kvm
