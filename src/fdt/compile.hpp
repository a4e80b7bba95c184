// fdt::compile: the flattened device tree a machine's guest boots with.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/machine.hpp"

namespace vmc::fdt {

// A /hypervisor node (under KVM: the hypercall instructions the host reports).
struct Hypervisor {
    std::vector<std::string> compatible;
    std::vector<uint32_t> hcall_instructions;
    bool has_idle = false; // the host offers the idle hypercall (`has-idle`)
};

// The host core's frequencies under KVM: the guest runs on that core, so
// they replace the machine's in every cpu node (QEMU reads them from the
// host too). Zero keeps the machine's value. The cpu nodes keep the
// machine's name, as QEMU's do.
struct HostCpu {
    uint64_t clock_frequency = 0;    // Hz
    uint64_t timebase_frequency = 0; // Hz
};

// Inputs from the boot and engine side, passed as data.
struct CompileInputs {
    uint64_t initrd_start = 0, initrd_end = 0; // where the loader put the initrd; 0/0: none
    std::optional<std::string> bootargs;       // replaces machine.boot.bootargs when set
    std::vector<std::pair<uint64_t, uint64_t>> reserve; // extra /memreserve/ (address, size)
    std::optional<Hypervisor> hypervisor;
    std::optional<HostCpu> host_cpu;
};

// The blob, packed to its size. Deterministic: the same machine and inputs
// give the same bytes. Throws std::runtime_error naming the device or value
// when the machine cannot be described (unknown kind, address outside its
// bus, reference to a missing device).
std::vector<uint8_t> compile(const model::Machine& machine, const CompileInputs& inputs);

} // namespace vmc::fdt
