// The KVM engine for Book E hosts (e500mc/e5500): the VM graph runs on the
// host core through Linux KVM, in the order QEMU's Book E path uses: VM,
// memory slot, in-kernel MPIC, vCPUs with a shared software TLB, registers,
// then one thread per vCPU handing MMIO/EPR/watchdog/debug exits to the same
// device graph the emulator uses.
#pragma once

#include <filesystem>
#include <memory>

#include "engine/kvm/host_cpu.hpp"
#include "engine/kvm/kvm_api.hpp"
#include "fdt/compile.hpp"
#include "vmm/engine.hpp"

namespace vmc::kvm {

class KvmEngine : public vmm::Engine {
public:
    // The /hypervisor node inputs (hypercall instructions from
    // KVM_PPC_GET_PVINFO), to pass to fdt::compile before the DTB is placed.
    virtual fdt::Hypervisor hypervisor() const = 0;
    // The processor version the guest really sees (the host's).
    virtual uint32_t host_pvr() const = 0;
    // The host core: its frequencies (for the device tree) and name from the
    // host files under EngineOptions::host_root, its PVR as the kernel reports
    // it. Throws std::runtime_error when the host does not give its frequencies.
    virtual HostCpuSource host_cpu() const = 0;
};

struct EngineOptions {
    std::filesystem::path host_root = "/"; // where /proc is read from (tests: a fake tree)
};

// Creates the VM and its vCPUs. Throws KvmError naming what the host kernel
// lacks (a capability, the MPIC model) or which call failed. `api` must
// outlive the engine.
std::unique_ptr<KvmEngine> create_engine(vmm::Vm& vm, KvmApi& api,
                                         const EngineOptions& options = {});

} // namespace vmc::kvm
