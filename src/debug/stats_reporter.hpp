// --stats: the engine's counters plus the bus's, printed to stderr at the
// end of a run and whenever SIGUSR1 arrives. The signal is blocked and read
// through a signalfd on the VM's event loop, so nothing runs in a handler.
// Construct it before any thread starts, so that they all inherit the
// blocked signal.
#pragma once

#include <chrono>
#include <string>

#include "vmm/engine.hpp"

namespace vmc::debug {

class Target;

class StatsReporter {
public:
    // `format`: "" (off), "text" or "json".
    StatsReporter(const std::string& format, vmm::Vm& vm, vmm::Engine& engine);
    ~StatsReporter();
    StatsReporter(const StatsReporter&) = delete;
    StatsReporter& operator=(const StatsReporter&) = delete;

    void report() const;

private:
    std::string format_;
    vmm::Vm& vm_;
    Target* target_;
    std::chrono::steady_clock::time_point start_;
    int signal_fd_ = -1;
};

} // namespace vmc::debug
