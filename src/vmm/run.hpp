// vmm::run: boot, run, reset and exit policy of one VM on one engine.
// At power-on and at every guest reset it loads the images, compiles the
// device tree for where they landed and places it, resets the engine and
// runs it; a guest reset then follows the machine's on-reset policy.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

#include "fdt/compile.hpp"
#include "vmm/boot_plan.hpp"
#include "vmm/engine.hpp"
#include "vmm/vm_control.hpp"

namespace vmc::vmm {

struct RunPlan {
    BootPlan boot;
    // What the engine adds to the tree (KVM: /hypervisor, the host's clocks);
    // the initrd's place is filled in at each boot.
    fdt::CompileInputs tree;
    // Sees each device tree the guest boots with (--dtb-out); may throw.
    std::function<void(std::span<const uint8_t>)> on_dtb;
    // Says what the run loop does (--verbose); empty: quiet.
    std::function<void(std::string_view)> note;
};

// Runs until the VM stops (power-off, reset under `on-reset: exit`, a fatal
// guest state, a stop requested from outside) and returns why.
ExitReason run(Vm& vm, Engine& engine, const RunPlan& plan);

} // namespace vmc::vmm
