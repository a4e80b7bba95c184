// The monitor: a few of QEMU's monitor commands for a running machine, on
// the terminal (Ctrl-A c) and on a socket for scripts (up --monitor).
//
//   help                   the commands
//   info registers [CPU]   a vCPU's registers (default 0)
//   info tlb [CPU]         its valid TLB entries
//   info mtree             the guest-physical memory map
//   info irq               every device's interrupt source: level, times raised
//   stop, cont             halt every vCPU / let them run again
//   quit                   end the run (exit status 6, as Ctrl-A x)
//
// `stop` attaches the monitor to the engine as its debugger: while stopped,
// the monitor serves the VM's event loop (consoles, this socket, timeouts)
// until `cont`, `quit` or another reason to end the run. With gdb attached
// (up --gdb), gdb owns stop and continue and the monitor refuses them.
#pragma once

#include <string>
#include <string_view>

#include "debug/target.hpp"
#include "vmm/monitor_port.hpp"
#include "vmm/vm.hpp"

namespace vmc::debug {

class Monitor final : public vmm::MonitorPort, public Debugger {
public:
    // `target` may be null (the engine has no debug interface); `gdb_present`:
    // a gdb stub serves this run.
    Monitor(vmm::Vm& vm, Target* target, bool gdb_present);

    std::string execute(std::string_view line) override;
    Resume stopped(Target& target, const StopEvent& event) override;

    bool halted() const { return state_ == State::Stopped; }

private:
    std::string info(std::string_view what, std::string_view args);
    std::string info_registers(std::string_view args);
    std::string info_tlb(std::string_view args);
    std::string info_irq() const;
    std::string stop();
    std::string cont();
    // The vCPU an `info` command names (empty: 0); false with `error` set.
    bool cpu_argument(std::string_view args, unsigned& cpu, std::string& error) const;

    enum class State { Running, Stopping, Stopped };
    vmm::Vm& vm_;
    Target* target_;
    bool gdb_present_;
    State state_ = State::Running;
};

// The text of `help`.
std::string_view monitor_help();

} // namespace vmc::debug
