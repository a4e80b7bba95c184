// What every engine (built-in emulator, KVM) offers the run loop.
#pragma once

#include "vmm/vm.hpp"

namespace vmc::debug {
class Target;
}

namespace vmc::vmm {

class Engine : public CpuStarter {
public:
    ~Engine() override = default;
    // Applies vm.boot to the vCPUs. Called once before run() and again on guest reset.
    virtual void reset() = 0;
    // Runs the guest until vm.control.stop_requested() or a reset request.
    virtual void run() = 0;
    // Human-readable register dump of every vCPU (fatal stops, --trace).
    virtual std::string dump_state() const = 0;
    // Debugger and statistics access (debug/target.hpp); nullptr when the engine has none.
    virtual debug::Target* debug_target() { return nullptr; }
};

} // namespace vmc::vmm
