// One KVM vCPU: its fd, the mapped kvm_run, and the software TLB array it
// shares with the kernel (TLB0 entries first, TLB1 entry n at tlb0 + n).
#pragma once

#include <cstdint>
#include <optional>
#include <pthread.h>
#include <string>
#include <thread>
#include <vector>

#include "engine/kvm/kvm_api.hpp"
#include "model/machine.hpp"
#include "vmm/boot_state.hpp"

namespace vmc::kvm {

class Vcpu {
public:
    Vcpu(KvmApi& api, int vm_fd, unsigned index, const model::CpuModel& cpu);
    ~Vcpu();
    Vcpu(const Vcpu&) = delete;
    Vcpu& operator=(const Vcpu&) = delete;

    // Applies an ePAPR entry state: GPRs/PC/MSR (KVM_SET_REGS), Book E
    // sregs with the decrementer and TSR forced (KVM_SREGS_E_UPDATE_*),
    // TCR/TSR through ONE_REG, and the TLB contents (KVM_DIRTY_TLB).
    void apply(const vmm::CpuBootState& state);
    // Register dump for fatal stops.
    std::string dump() const;
    uint32_t pvr() const;
    // The shared TLB array as the kernel last wrote it back (valid while the
    // vCPU is outside KVM_RUN): TLB0 entries first, then TLB1.
    const std::vector<vmm::TlbEntry>& tlb() const { return tlb_; }
    uint32_t tlb0_entries() const { return tlb0_entries_; }

    KvmApi& api;
    const unsigned index;
    const int fd;
    uapi::Run* run = nullptr;

    // Run-loop state, guarded by the engine's cpu mutex.
    bool held = true;
    std::optional<vmm::CpuBootState> pending_start;
    std::thread thread;
    // The vCPU's own thread: the last exit left the kernel an operation it
    // completes on the next KVM_RUN (an MMIO load's register, EPR).
    bool completion_pending = false;

private:
    void enable_sw_tlb(const model::CpuModel& cpu);
    void write_tlb(const vmm::CpuBootState& state);

    size_t run_size_ = 0;
    uint32_t tlb0_entries_ = 0;
    uapi::Book3e206TlbParams params_{};
    std::vector<vmm::TlbEntry> tlb_;
};

} // namespace vmc::kvm
