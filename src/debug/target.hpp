// What a debugger needs from an engine, and what an engine calls back when
// the machine stops for the debugger. Engine-neutral: the emulator
// implements it in engine/emu/debug_target.cpp; a KVM engine maps the same
// operations onto KVM_SET_GUEST_DEBUG, KVM_GET/SET_ONE_REG and its TLB.
//
// Threading: every call happens on the VM thread (the thread in
// Engine::run()), either from Debugger::stopped() while every vCPU is
// stopped, or from an event-loop callback between time slices.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "debug/registers.hpp"
#include "debug/stats.hpp"
#include "vmm/boot_state.hpp"

namespace vmc::debug {

enum class AddressSpace { Effective, Physical };

enum class BreakKind { Software, Hardware, WatchWrite, WatchRead, WatchAccess };

// Why the machine stopped.
struct StopEvent {
    enum class Why { Halted, Breakpoint, Watchpoint, Step };
    Why why = Why::Halted;
    unsigned cpu = 0; // the vCPU that stopped (Halted: the one gdb should look at)
    BreakKind kind = BreakKind::Software;
    uint64_t data_address = 0; // Watchpoint: the address accessed
};

// What the machine does when the debugger lets it go.
struct Resume {
    enum class How { Continue, Step };
    How how = How::Continue;
    unsigned cpu = 0; // Step: the vCPU that executes one instruction (the others stay stopped)
};

class Target;

class Debugger {
public:
    virtual ~Debugger() = default;
    // The machine stopped: every vCPU is stopped until this returns. The
    // debugger inspects and changes state through `target`, then says how to go on.
    virtual Resume stopped(Target& target, const StopEvent& event) = 0;
};

class Target {
public:
    virtual ~Target() = default;

    // While attached, the engine checks breakpoints, watchpoints, step and halt
    // requests and calls debugger.stopped(); detach() removes every breakpoint.
    virtual void attach(Debugger& debugger) = 0;
    virtual void detach() = 0;
    // Stop every vCPU at the next instruction boundary (Ctrl-C, --gdb-wait).
    virtual void request_halt() = 0;

    virtual unsigned cpu_count() const = 0;
    // false: the vCPU is held (a secondary not released from the spin table yet).
    virtual bool cpu_online(unsigned cpu) const = 0;

    // false: the engine does not have this register.
    virtual bool read_register(unsigned cpu, RegisterId reg, uint64_t& value) = 0;
    virtual bool write_register(unsigned cpu, RegisterId reg, uint64_t value) = 0;

    // Guest bytes in guest order. Effective addresses go through `cpu`'s MMU
    // as its data accesses would (MSR[DS], PID); nothing faults. Only RAM is
    // accessible (device registers have side effects). Returns the number of
    // bytes done, stopping at the first inaccessible one.
    virtual size_t read_memory(unsigned cpu, uint64_t address, AddressSpace space,
                               std::span<uint8_t> out) = 0;
    virtual size_t write_memory(unsigned cpu, uint64_t address, AddressSpace space,
                                std::span<const uint8_t> in) = 0;
    // Translation only: false when `address` has no mapping for `cpu`.
    virtual bool translate(unsigned cpu, uint64_t address, uint64_t& physical) = 0;

    // Breakpoints on effective instruction addresses; watchpoints on effective
    // data addresses, for every vCPU. false: not supported or no room.
    virtual bool insert_breakpoint(BreakKind kind, uint64_t address, uint64_t length) = 0;
    virtual bool remove_breakpoint(BreakKind kind, uint64_t address, uint64_t length) = 0;

    virtual void collect_stats(RunStats& stats) const = 0;

    // The vCPU's TLB arrays as its MMU holds them, in the layout KVM shares
    // (MAS8, MAS1, MAS2, MAS7_3); TLB0 is sets x ways, set-major. false:
    // this engine cannot show them.
    virtual bool read_tlb(unsigned cpu, std::vector<vmm::TlbEntry>& tlb0,
                          std::vector<vmm::TlbEntry>& tlb1) {
        (void)cpu, (void)tlb0, (void)tlb1;
        return false;
    }
};

} // namespace vmc::debug
