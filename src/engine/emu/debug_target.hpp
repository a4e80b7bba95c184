// The emulator's side of the debugger interface (debug/target.hpp): register
// and memory access on stopped cores, breakpoints and watchpoints through
// DebugHooks, and the stop/step/resume protocol EmuMachine::run() follows.
#pragma once

#include "debug/target.hpp"
#include "engine/emu/debug_hooks.hpp"

namespace vmc::emu {

class EmuMachine;

class EmuDebug : public debug::Target {
public:
    // `active` is the run loop's flag: true while a debugger is attached.
    EmuDebug(EmuMachine& machine, bool& active);

    void attach(debug::Debugger& debugger) override;
    void detach() override;
    void request_halt() override { halt_requested_ = true; }
    unsigned cpu_count() const override;
    bool cpu_online(unsigned cpu) const override;
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
    bool read_tlb(unsigned cpu, std::vector<vmm::TlbEntry>& tlb0,
                  std::vector<vmm::TlbEntry>& tlb1) override;

    // ---- for EmuMachine::run() ----
    // At the top of each round: reports a pending stop to the debugger and
    // applies its answer (returns when the machine may run again).
    void service();
    // Instructions core `cpu` may run this round (0: it stays stopped).
    uint64_t budget(unsigned cpu, uint64_t quantum);
    // A core hit a breakpoint or watchpoint: no further core runs this round.
    bool stopping() const { return hooks_.stop; }

private:
    void resume(const debug::Resume& how, unsigned stopped_cpu);
    bool physical_of(unsigned cpu, uint64_t address, debug::AddressSpace space, uint64_t& pa);

    EmuMachine& machine_;
    bool& active_;
    debug::Debugger* debugger_ = nullptr;
    DebugHooks hooks_;
    bool halt_requested_ = false;
    int step_cpu_ = -1;    // the core that executes one instruction this round
    bool stepped_ = false; // it has had its round
};

} // namespace vmc::emu
