// A stand-in for the kernel's KVM, for tests: the KvmApi calls the engine
// makes, carried out on the built-in emulator, with the rules a Book E host
// kernel applies (structure contents, call order, capabilities, the shared
// TLB array's geometry and layout). KVM_RUN executes the guest on an emulator
// core in a kernel-side thread until an exit the real kernel hands to
// userspace: MMIO outside RAM and outside the in-kernel MPIC (the emulator's
// MPIC device behind the device-control calls), a debug exit, the watchdog,
// or a signal/immediate_exit.
//
// Where the engine could come to depend on it, it does what Linux 6.1 does
// (arch/powerpc/kvm/, virt/kvm/), each place naming the kernel function it
// follows: GSI routing, MMIO emulation and its completion, the MPIC model's
// source count, guest-debug gating, the sregs a real e500mc reports, the
// ePAPR hypercalls. docs/kvm.md lists what still differs.
//
// Stricter than the kernel where it keeps the model small: guest RAM is one
// slot (slot 0), created before any vCPU or device; TLB geometry must be the
// host core's; the SW_TLB capability must be enabled before KVM_RUN.
#pragma once

#include <array>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/emu/core.hpp"
#include "engine/kvm/kvm_api.hpp"
#include "kernel_mmio.hpp"
#include "model/machine.hpp"
#include "ticket_mutex.hpp"

namespace vmc::devices::mpic {
class Mpic;
}

namespace vmc::kvm::test {

struct HostKernel {
    model::CpuModel cpu; // the host core (PVR, TLB geometry, timebase)
    unsigned max_vcpus = 4;
    std::set<uint32_t> caps{
        uapi::CapUserMemory, uapi::CapPpcGetPvinfo,     uapi::CapPpcBookeSregs, uapi::CapSwTlb,
        uapi::CapOneReg,     uapi::CapPpcBookeWatchdog, uapi::CapPpcEpr,        uapi::CapDeviceCtrl,
        uapi::CapIrqMpic,    uapi::CapImmediateExit,    uapi::CapIrqRouting};
};

// Destroy it before the Vm whose RAM holds the guest (declare it after):
// a vCPU woken by the shutdown finishes its quantum of guest code.
class StandInKvm final : public KvmApi {
public:
    explicit StandInKvm(HostKernel host = {});
    ~StandInKvm() override;

    int api_version() override { return uapi::kApiVersion; }
    int create_vm() override;
    size_t vcpu_mmap_size() override { return kRunSize; }
    int check_extension(int vm, uint32_t cap) override;
    void set_user_memory_region(int vm, const uapi::UserspaceMemoryRegion& region) override;
    int create_vcpu(int vm, unsigned id) override;
    void create_device(int vm, uapi::CreateDevice& device) override;
    void irq_line(int vm, const uapi::IrqLevel& level) override;
    void set_gsi_routing(int vm, const uapi::IrqRouting& routing) override;
    void get_pvinfo(int vm, uapi::PpcPvinfo& info) override;
    void set_device_attr(int device, const uapi::DeviceAttr& attr) override;
    uapi::Run* map_run(int vcpu, size_t size) override;
    void unmap_run(uapi::Run* run, size_t size) override;
    void get_regs(int vcpu, uapi::Regs& regs) override;
    void set_regs(int vcpu, const uapi::Regs& regs) override;
    void get_sregs(int vcpu, uapi::Sregs& sregs) override;
    void set_sregs(int vcpu, const uapi::Sregs& sregs) override;
    void get_one_reg(int vcpu, const uapi::OneReg& reg) override;
    void set_one_reg(int vcpu, const uapi::OneReg& reg) override;
    void enable_cap(int vcpu, const uapi::EnableCap& cap) override;
    void dirty_tlb(int vcpu, const uapi::DirtyTlb& dirty) override;
    void set_guest_debug(int vcpu, const uapi::GuestDebug& debug) override;
    int run(int vcpu) override;
    void close(int fd) override;

    // What the tests look at.
    std::vector<std::string> calls; // ioctl names in the order made
    uint64_t mpic_base() const { return mpic_base_; }
    uint64_t guest_instructions() const;
    unsigned mmio_exits = 0;
    unsigned watchdog_exits = 0;
    unsigned hypercalls = 0;
    unsigned debug_exits = 0;
    unsigned dropped_irq_lines = 0;       // KVM_IRQ_LINE on a GSI without a route
    unsigned mmio_program_interrupts = 0; // device accesses the kernel does not emulate
    unsigned completed_mmio_loads = 0;    // registers written on re-entry
    // The in-kernel MPIC's register window as the guest sees it (FRR etc.).
    uint32_t mpic_register(uint64_t offset) const;
    // Whether userspace has set immediate_exit in vCPU `id`'s kvm_run (the
    // engine kicks its vCPUs that way to stop or pause them).
    bool immediate_exit_set(unsigned id) const;
    // The software breakpoint instruction (ONE_REG KVM_REG_PPC_DEBUG_INST on Book E).
    static constexpr uint32_t kDebugInst = 0x00dddd00;
    // ehpriv with the debug opcode (KVMPPC_INST_EHPRIV_DEBUG).
    static constexpr uint32_t kEhprivDebug = 0x7c000a1c;
    unsigned final_watchdog_expiries = 0; // with or without an exit
    // The emulated core's TLB1 entry n of vCPU `id` (what the kernel loaded).
    vmm::TlbEntry core_tlb1(unsigned id, unsigned n) const;

    static constexpr size_t kRunSize = 4096;
    static constexpr uint64_t kQuantum = 4096;

private:
    struct Vcpu {
        unsigned id = 0;
        int fd = -1;
        std::unique_ptr<emu::Core> core;
        std::vector<uint64_t> run_page;
        uapi::Run* run = nullptr;
        bool mapped = false;
        bool sw_tlb = false;
        uapi::Book3e206TlbParams params{};
        vmm::TlbEntry* array = nullptr;
        bool mpic_connected = false;
        bool watchdog_exit = false; // KVM_CAP_PPC_BOOKE_WATCHDOG enabled on this vCPU
        // KVM_SET_GUEST_DEBUG: the control word, the IAC/DAC compares as the
        // core's debug hooks, and a software breakpoint hit waiting to exit.
        uint32_t guest_debug = 0;
        emu::DebugHooks hooks;
        std::vector<uint64_t> dac; // watched addresses in DAC order, for the exit's address
        bool sw_break = false;     // a debug instruction to leave KVM_RUN at (status 0)
        // A device access caught inside the instruction that made it: the
        // core finishes that instruction on dummy data and stops, and the
        // state from before it is put back for the kernel's emulation.
        struct DeviceAccess {
            bool active = false;
            bool write = false;
            uint64_t addr = 0, value = 0;
            unsigned size = 0;
            // The core's own register widths (64-bit on an e5500).
            decltype(emu::Core::gpr) gpr{};
            uint32_t cr = 0, xer = 0, msr = 0, srr1 = 0, esr = 0;
            uint64_t lr = 0, ctr = 0, pc = 0, srr0 = 0, dear = 0;
            emu::fpu::FpState fp;
            bool reserved = false;
        } access;
        // vcpu->mmio_needed: a load whose register the next KVM_RUN writes.
        bool mmio_needed = false;
        KernelMmioInsn mmio_load;
        enum class Phase { Parked, Running, Exited } phase = Phase::Parked;
        std::condition_variable_any kernel_cv; // wakes the kernel thread
        std::condition_variable_any user_cv;   // wakes the thread in KVM_RUN
        std::thread thread;
    };
    class ExitToUser;
    class Beneath;

    Vcpu& vcpu(int fd, const char* call);
    void require_vm(int fd, const char* call) const;
    void load_tlb(Vcpu& v);
    void store_tlb(Vcpu& v);
    void kernel_thread(Vcpu& v);
    void execute(Vcpu& v, std::unique_lock<TicketMutex>& lock);
    void post_exit(Vcpu& v, uint32_t reason);
    void device_access(unsigned cpu, uint64_t addr, unsigned size, uint64_t value, bool write);
    bool emulate_device_access(Vcpu& v);
    void complete_mmio_load(Vcpu& v);
    bool debug_exit(Vcpu& v);
    void stop_after_instruction(Vcpu& v);
    void wake_all();

    HostKernel host_;
    mutable TicketMutex kernel_; // the stand-in's big kernel lock
    int next_fd_ = 100;
    int vm_fd_ = -1;
    int mpic_fd_ = -1;
    uint64_t mpic_base_ = ~0ull;
    bool mpic_placed_ = false;
    bool bus_ready_ = false;
    bool shutting_down_ = false;
    model::Machine kernel_machine_;
    std::unique_ptr<vmm::Vm> kernel_vm_;
    std::unique_ptr<emu::Shared> shared_;
    std::unique_ptr<Beneath> beneath_; // hypercalls and traps the kernel takes
    std::unique_ptr<devices::mpic::Mpic> mpic_;
    std::map<uint32_t, uint32_t> gsi_routes_; // GSI -> MPIC pin (KVM_SET_GSI_ROUTING)
    std::vector<std::unique_ptr<ExitToUser>> exit_handlers_;
    std::map<int, std::unique_ptr<Vcpu>> vcpus_;
};

} // namespace vmc::kvm::test
