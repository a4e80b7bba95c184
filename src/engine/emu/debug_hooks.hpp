// What a core checks while a debugger is attached (Core::debug non-null):
// breakpoints at block boundaries, watchpoints on slow-path data accesses,
// and one stop flag that makes every core stop. Owned by EmuDebug
// (debug_target.hpp); without a debugger the core pays one null test per block.
#pragma once

#include <cstdint>
#include <vector>

#include "debug/target.hpp"

namespace vmc::emu {

struct DebugHooks {
    struct Watch {
        uint64_t ea = 0;
        uint64_t length = 0;
        debug::BreakKind kind = debug::BreakKind::WatchWrite;
    };
    struct Breakpoint {
        uint64_t ea = 0; // effective instruction address
        debug::BreakKind kind = debug::BreakKind::Software;
        bool operator==(const Breakpoint&) const = default;
    };
    std::vector<Breakpoint> breakpoints;
    std::vector<Watch> watches;

    bool stop = false; // set on a hit: each core stops at its next block boundary
    debug::StopEvent event;

    // The machine resumed at a breakpoint or a watched access: that core
    // executes the instruction at skip_pc once without stopping.
    int skip_cpu = -1;
    uint64_t skip_pc = 0;
    bool skip_used = false;

    // At a block boundary of core `cpu` about to execute `pc`: true when the
    // core must stop (a stop is pending, or `pc` is a breakpoint).
    bool should_stop(unsigned cpu, uint64_t pc) {
        if (stop) return true;
        if (static_cast<int>(cpu) == skip_cpu) {
            if (pc == skip_pc && !skip_used) {
                skip_used = true;
                return false;
            }
            skip_cpu = -1;
        }
        for (const Breakpoint& b : breakpoints) {
            if (b.ea != pc) continue;
            stop = true;
            event = {debug::StopEvent::Why::Breakpoint, cpu, b.kind, 0};
            return true;
        }
        return false;
    }

    // The budget of a block starting at `pc`, shortened so that the block
    // ends right before the next breakpoint (blocks never leave their page).
    uint64_t limit(uint64_t pc, uint64_t budget) const {
        for (const Breakpoint& b : breakpoints) {
            if (b.ea <= pc || (b.ea ^ pc) >= 0x1000) continue;
            uint64_t distance = (b.ea - pc) / 4;
            if (distance < budget) budget = distance;
        }
        return budget;
    }

    // A data access the core is about to make: true (and the stop recorded)
    // when it touches a watchpoint; the core then abandons the instruction.
    bool watch_hit(unsigned cpu, uint64_t pc, uint64_t ea, unsigned size, bool write) {
        for (const Watch& w : watches) {
            if (ea + size <= w.ea || w.ea + w.length <= ea) continue;
            bool wanted = w.kind == debug::BreakKind::WatchAccess ||
                          (write ? w.kind == debug::BreakKind::WatchWrite
                                 : w.kind == debug::BreakKind::WatchRead);
            if (!wanted) continue;
            if (static_cast<int>(cpu) == skip_cpu && pc == skip_pc) continue;
            stop = true;
            event = {debug::StopEvent::Why::Watchpoint, cpu, w.kind, ea};
            return true;
        }
        return false;
    }
};

} // namespace vmc::emu
