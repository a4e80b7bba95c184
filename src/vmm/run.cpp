#include "vmm/run.hpp"

#include "vmm/vm.hpp"

namespace vmc::vmm {

namespace {

// Loads the images, compiles the device tree for where they landed and
// puts it in guest RAM.
void boot_guest(Vm& vm, const RunPlan& plan) {
    load_guest(vm, plan.boot);
    fdt::CompileInputs inputs = plan.tree;
    if (plan.boot.initrd) {
        inputs.initrd_start = plan.boot.initrd->address;
        inputs.initrd_end = plan.boot.initrd->end();
    }
    vm.dtb = fdt::compile(vm.machine, inputs);
    place_dtb(vm, vm.dtb);
    if (plan.on_dtb) plan.on_dtb(vm.dtb);
}

} // namespace

ExitReason run(Vm& vm, Engine& engine, const RunPlan& plan) {
    for (;;) {
        boot_guest(vm, plan);
        engine.reset();
        engine.run();
        if (vm.control.stop_requested()) break;
        if (!vm.control.take_reset_request()) continue;
        if (vm.machine.on_reset == model::ResetPolicy::Exit) {
            vm.control.request_stop(ExitReason::Reset, "guest requested a reset");
            break;
        }
        if (plan.note) plan.note("guest reset, restarting");
        for (auto& device : vm.devices)
            device->reset();
    }
    return vm.control.reason();
}

} // namespace vmc::vmm
