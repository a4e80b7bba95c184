// Linux KVM as `--accel kvm`: on a host with /dev/kvm and an e500mc-class
// core. Its in-kernel MPIC delivers the interrupts.
#include <cstdio>
#include <fmt/format.h>

#include "engine/engine_kind.hpp"
#include "engine/kvm/host.hpp"
#include "engine/kvm/kvm_engine.hpp"

namespace vmc::engine::kvm_engine {

namespace {

HostFit check_host() {
    const kvm::HostCheck host = kvm::check_host();
    return {fmt::format("KVM on the host's {}", host.cpu), host.missing};
}

Started start(vmm::Vm& vm, const Options& options) {
    try {
        std::shared_ptr<kvm::KvmApi> api = kvm::open_linux_kvm();
        auto engine = kvm::create_engine(vm, *api);
        Started started;
        started.tree.hypervisor = engine->hypervisor();
        const kvm::HostCpuSource host = engine->host_cpu();
        started.tree.host_cpu = host.cpu;
        if (options.verbose)
            std::fprintf(stderr,
                         "vmcompose: KVM: the guest runs on the host's %s (PVR %08x): clock %llu "
                         "Hz (%s), timebase %llu Hz (%s) in the device tree\n",
                         host.core.empty() ? "core" : host.core.c_str(), host.pvr,
                         static_cast<unsigned long long>(host.cpu.clock_frequency),
                         host.clock_from.c_str(),
                         static_cast<unsigned long long>(host.cpu.timebase_frequency),
                         host.timebase_from.c_str());
        started.support = std::move(api);
        started.engine = std::move(engine);
        return started;
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("KVM: ") + e.what());
    }
}

constexpr EngineKind kKind{
    .name = "kvm",
    .label = "KVM",
    .check_host = check_host,
    .in_kernel_interrupt_controller = true,
    .start = start,
};

} // namespace

const EngineKind& engine_kind() {
    return kKind;
}

} // namespace vmc::engine::kvm_engine
