#include "stand_in_kvm.hpp"

#include <fmt/format.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "devices/mpic/mpic.hpp"
#include "vmm/vm.hpp"

namespace vmc::kvm::test {

namespace {
constexpr uint64_t kPhysEnd = 1ull << 36; // e500mc physical address space
constexpr uint32_t kMas0TlbSel1 = 0x10000000;
constexpr uint32_t kMas1Valid = 0x80000000;

[[noreturn]] void refuse(const std::string& call, int error, const std::string& why) {
    throw KvmError(call + " (" + why + ")", error);
}

template <typename T> T read_user(uint64_t addr) {
    T value;
    std::memcpy(&value, reinterpret_cast<const void*>(static_cast<uintptr_t>(addr)), sizeof value);
    return value;
}
} // namespace

// Guest physical addresses that are neither RAM nor the in-kernel MPIC: the
// kernel emulates the instruction (KVM_EXIT_MMIO) or refuses it.
class StandInKvm::ExitToUser final : public vmm::MmioHandler {
public:
    ExitToUser(StandInKvm& kvm, uint64_t base) : kvm_(kvm), base_(base) {}
    uint64_t mmio_read(uint64_t offset, unsigned size) override {
        kvm_.device_access(kvm_.kernel_vm_->current_cpu, base_ + offset, size, 0, false);
        return 0; // a dummy: the instruction is undone and emulated afterwards
    }
    void mmio_write(uint64_t offset, uint64_t value, unsigned size) override {
        kvm_.device_access(kvm_.kernel_vm_->current_cpu, base_ + offset, size, value, true);
    }

private:
    StandInKvm& kvm_;
    uint64_t base_;
};

// What the kernel does when the guest leaves guest state for it without an
// exit to userspace: ePAPR hypercalls (`sc 1`), as Linux 6.1 answers them
// on a Book E HV host.
class StandInKvm::Beneath final : public emu::Hypervisor {
public:
    explicit Beneath(StandInKvm& kvm) : kvm_(kvm) {}

    void hypercall(emu::Core& c) override {
        ++kvm_.hypercalls;
        if (c.msr & emu::msr::PR) {
            // From guest user mode: a privileged-instruction program interrupt.
            c.program(emu::esr::PPR);
            return;
        }
        // kvmppc_kvm_pv: r3 the status, r4 the second value (0 unless set).
        uint32_t status = kEvUnimplemented, second = 0;
        switch (c.gpr[11]) {
        case kKvmVendor | kKvmHcFeatures:
            status = kEvSuccess; // no KVM_FEATURE_MAGIC_PAGE on e500mc (BOOKE_HV) hosts
            break;
        case kKvmVendor | kKvmHcMapMagicPage:
            // Accepted and recorded; the HV kernel never maps a shared page
            // into the guest, but answers as for one.
            status = kEvSuccess;
            second = kMagicFeatSr | kMagicFeatMas0ToSprg7;
            break;
        case kEpaprVendor | kEvIdle:
            status = kEvSuccess;
            c.waiting = true; // until an interrupt the guest has enabled (kvm_vcpu_halt)
            break;
        default:
            break;
        }
        c.gpr[3] = status;
        c.gpr[4] = second;
    }

    // Instructions the core does not know that the kernel takes:
    // - ehpriv 1 traps to the hypervisor whatever the guest-debug state, and
    //   leaves KVM_RUN as KVM_EXIT_DEBUG (status 0) with the PC still at it
    //   (kvmppc_e500_emul_ehpriv, via BOOKE_INTERRUPT_HV_PRIV).
    // - the software breakpoint instruction leaves as KVM_EXIT_DEBUG only
    //   with KVM_GUESTDBG_USE_SW_BP (kvmppc_handle_exit,
    //   BOOKE_INTERRUPT_PROGRAM); otherwise it is the guest's own illegal
    //   instruction (on HV hosts the program interrupt goes to the guest).
    bool illegal_instruction(emu::Core& c, uint32_t raw) override {
        if (raw != kDebugInst && raw != kEhprivDebug) return false;
        for (auto& [fd, v] : kvm_.vcpus_) {
            if (v->core.get() != &c) continue;
            if (raw == kDebugInst && !(v->guest_debug & uapi::kGuestDbgUseSwBp)) return false;
            v->sw_break = true;
            kvm_.stop_after_instruction(*v);
            c.branch(c.pc); // at the instruction, not past it
            return true;
        }
        return false;
    }

private:
    static constexpr uint32_t kEpaprVendor = 1u << 16, kKvmVendor = 42u << 16;
    static constexpr uint32_t kEvIdle = 16, kKvmHcFeatures = 3, kKvmHcMapMagicPage = 1;
    static constexpr uint32_t kMagicFeatSr = 1u << 0, kMagicFeatMas0ToSprg7 = 1u << 1;
    static constexpr uint32_t kEvSuccess = 0, kEvUnimplemented = 12;
    StandInKvm& kvm_;
};

StandInKvm::StandInKvm(HostKernel host) : host_(std::move(host)) {}

StandInKvm::~StandInKvm() {
    {
        std::lock_guard lock(kernel_);
        shutting_down_ = true;
    }
    wake_all();
    for (auto& [fd, v] : vcpus_)
        if (v->thread.joinable()) v->thread.join();
}

void StandInKvm::wake_all() {
    for (auto& [fd, v] : vcpus_) {
        v->kernel_cv.notify_all();
        v->user_cv.notify_all();
    }
}

uint64_t StandInKvm::guest_instructions() const {
    std::lock_guard lock(kernel_);
    uint64_t total = 0;
    for (const auto& [fd, v] : vcpus_)
        total += v->core->instructions;
    return total;
}

vmm::TlbEntry StandInKvm::core_tlb1(unsigned id, unsigned n) const {
    std::lock_guard lock(kernel_);
    for (const auto& [fd, v] : vcpus_)
        if (v->id == id && n < v->core->mmu.tlb1().size()) return v->core->mmu.tlb1()[n];
    return {};
}

void StandInKvm::require_vm(int fd, const char* call) const {
    if (fd != vm_fd_ || vm_fd_ < 0) refuse(call, EBADF, "not a VM fd");
}

StandInKvm::Vcpu& StandInKvm::vcpu(int fd, const char* call) {
    auto it = vcpus_.find(fd);
    if (it == vcpus_.end()) refuse(call, EBADF, "not a vCPU fd");
    return *it->second;
}

int StandInKvm::create_vm() {
    std::lock_guard lock(kernel_);
    calls.push_back("KVM_CREATE_VM");
    if (vm_fd_ >= 0) refuse("KVM_CREATE_VM", EBUSY, "the stand-in holds one VM");
    vm_fd_ = next_fd_++;
    return vm_fd_;
}

int StandInKvm::check_extension(int vm, uint32_t cap) {
    std::lock_guard lock(kernel_);
    require_vm(vm, "KVM_CHECK_EXTENSION");
    return host_.caps.count(cap) ? 1 : 0;
}

void StandInKvm::set_user_memory_region(int vm, const uapi::UserspaceMemoryRegion& r) {
    std::lock_guard lock(kernel_);
    const char* call = "KVM_SET_USER_MEMORY_REGION";
    calls.push_back(call);
    require_vm(vm, call);
    if (kernel_vm_) refuse(call, EEXIST, "slot 0 is already set");
    if (r.slot != 0 || r.flags != 0) refuse(call, EINVAL, "only slot 0 without flags");
    if (r.memory_size == 0 || r.memory_size % 4096 || r.guest_phys_addr % 4096 ||
        r.userspace_addr % 4096 || r.userspace_addr == 0)
        refuse(call, EINVAL, "size, guest and user addresses must be page aligned and non-zero");
    kernel_machine_.name = "stand-in-kernel";
    kernel_machine_.cpu = host_.cpu;
    kernel_machine_.cpus = kernel_machine_.max_cpus = host_.max_vcpus;
    kernel_machine_.memory = {r.guest_phys_addr, r.memory_size};
    vmm::VmOptions options;
    options.ram_backing = reinterpret_cast<uint8_t*>(static_cast<uintptr_t>(r.userspace_addr));
    kernel_vm_ = std::make_unique<vmm::Vm>(kernel_machine_, options);
    shared_ = std::make_unique<emu::Shared>(*kernel_vm_, emu::EmuOptions{});
    beneath_ = std::make_unique<Beneath>(*this);
    shared_->hypervisor = beneath_.get();
}

int StandInKvm::create_vcpu(int vm, unsigned id) {
    std::lock_guard lock(kernel_);
    const char* call = "KVM_CREATE_VCPU";
    calls.push_back(call);
    require_vm(vm, call);
    if (!kernel_vm_) refuse(call, EINVAL, "the stand-in needs guest RAM before vCPUs");
    if (id >= host_.max_vcpus) refuse(call, EINVAL, "vCPU id beyond KVM_CAP_MAX_VCPUS");
    for (auto& [fd, v] : vcpus_)
        if (v->id == id) refuse(call, EEXIST, "vCPU id already created");
    auto v = std::make_unique<Vcpu>();
    v->id = id;
    v->fd = next_fd_++;
    v->core = std::make_unique<emu::Core>(id, *shared_);
    vmm::CpuBootState power_on;
    power_on.pir = id;
    power_on.running = true;
    v->core->reset(power_on);
    // Guests read the host's time base, one for every vCPU: a vCPU created
    // later must not count from its own creation.
    if (!shared_->cores.empty()) v->core->share_timebase(*shared_->cores.front());
    shared_->cores.push_back(v->core.get());
    v->run_page.assign(kRunSize / sizeof(uint64_t), 0);
    v->run = reinterpret_cast<uapi::Run*>(v->run_page.data());
    Vcpu* raw = v.get();
    v->thread = std::thread([this, raw] { kernel_thread(*raw); });
    int fd = v->fd;
    vcpus_.emplace(fd, std::move(v));
    return fd;
}

void StandInKvm::create_device(int vm, uapi::CreateDevice& device) {
    std::lock_guard lock(kernel_);
    const char* call = "KVM_CREATE_DEVICE";
    calls.push_back(call);
    require_vm(vm, call);
    if (!host_.caps.count(uapi::CapDeviceCtrl)) refuse(call, ENOTTY, "no KVM_CAP_DEVICE_CTRL");
    if (device.type != uapi::kDevTypeFslMpic20 && device.type != uapi::kDevTypeFslMpic42)
        refuse(call, ENODEV, "unknown device type");
    if (device.flags != 0) refuse(call, EINVAL, "flags must be 0");
    if (mpic_) refuse(call, EEXIST, "one MPIC per VM");
    if (!kernel_vm_) refuse(call, EINVAL, "the stand-in needs guest RAM before devices");
    // kvm_mpic_create: MPIC 2.0 reports 80 sources in FRR, 4.2 196
    // (opp->nb_irqs). Sources 0-15 are external, edge-triggered from reset
    // until the guest sets IVPR[S]; from 16 on they are internal and always
    // level (fsl_common_init, openpic_reset): the project's MPIC device
    // keeps the same rules, given the kernel's source count.
    const bool v20 = device.type == uapi::kDevTypeFslMpic20;
    devices::mpic::Config config{{"fsl,mpic"}, v20 ? "2.0" : "4.2", v20 ? 80u : 196u, 4};
    mpic_ = std::make_unique<devices::mpic::Mpic>("kernel-mpic", config, *kernel_vm_);
    kernel_vm_->irq.connect(mpic_.get());
    kernel_vm_->interrupt_ack = mpic_.get();
    // mpic_set_default_irq_routing: "a nop default map", no GSI routed.
    gsi_routes_.clear();
    mpic_fd_ = next_fd_++;
    device.fd = static_cast<uint32_t>(mpic_fd_);
}

void StandInKvm::set_device_attr(int device, const uapi::DeviceAttr& attr) {
    std::lock_guard lock(kernel_);
    const char* call = "KVM_SET_DEVICE_ATTR";
    calls.push_back(call);
    if (device != mpic_fd_ || mpic_fd_ < 0) refuse(call, EBADF, "not a device fd");
    if (attr.flags != 0) refuse(call, EINVAL, "flags must be 0");
    if (attr.group != uapi::kDevMpicGrpMisc || attr.attr != uapi::kDevMpicBaseAddr)
        refuse(call, ENXIO, "the stand-in MPIC has only MISC/BASE_ADDR");
    uint64_t base = read_user<uint64_t>(attr.addr);
    if (base & (uapi::kMpicSize - 1)) refuse(call, EINVAL, "MPIC base not 256 KiB aligned");
    if (bus_ready_) refuse(call, EBUSY, "the stand-in places the MPIC once, before KVM_RUN");
    mpic_base_ = base;
    mpic_placed_ = true;
}

// kvm_vm_ioctl_irq_line -> kvm_set_irq: the GSI goes through the routing
// table; one without a route is dropped, and the ioctl still returns 0.
void StandInKvm::irq_line(int vm, const uapi::IrqLevel& level) {
    {
        std::lock_guard lock(kernel_);
        require_vm(vm, "KVM_IRQ_LINE");
        if (!mpic_) refuse("KVM_IRQ_LINE", ENXIO, "no in-kernel interrupt controller");
        auto route = gsi_routes_.find(level.irq);
        if (route == gsi_routes_.end()) {
            ++dropped_irq_lines;
            return;
        }
        mpic_->set_irq(route->second, level.level != 0); // mpic_set_irq
    }
    wake_all();
}

// kvm_set_irq_routing with kvm_set_routing_entry (arch/powerpc/kvm/mpic.c):
// the whole table is replaced; IRQCHIP entries name irqchip 0 and a pin
// below KVM_IRQCHIP_NUM_PINS; a GSI maps to one irqchip pin at most.
void StandInKvm::set_gsi_routing(int vm, const uapi::IrqRouting& routing) {
    std::lock_guard lock(kernel_);
    const char* call = "KVM_SET_GSI_ROUTING";
    calls.push_back(call);
    require_vm(vm, call);
    constexpr uint32_t kMaxRoutes = 4096; // KVM_MAX_IRQ_ROUTES
    if (routing.nr > kMaxRoutes || routing.flags != 0)
        refuse(call, EINVAL, "more than KVM_MAX_IRQ_ROUTES entries, or flags");
    const auto* entries = reinterpret_cast<const uapi::IrqRoutingEntry*>(&routing + 1);
    std::map<uint32_t, uint32_t> table;
    for (uint32_t n = 0; n < routing.nr; ++n) {
        const auto& e = entries[n];
        if (e.gsi >= kMaxRoutes || e.flags != 0) refuse(call, EINVAL, "gsi or flags");
        if (e.type != uapi::kIrqRoutingIrqchip)
            refuse(call, EINVAL, "the stand-in routes to irqchip pins only");
        if (e.u.irqchip.irqchip != 0 || e.u.irqchip.pin >= uapi::kIrqchipNumPins)
            refuse(call, EINVAL,
                   fmt::format("entry {}: irqchip {} pin {}", n, e.u.irqchip.irqchip,
                               e.u.irqchip.pin));
        if (!table.emplace(e.gsi, e.u.irqchip.pin).second)
            refuse(call, EINVAL, fmt::format("GSI {} routed twice to the MPIC", e.gsi));
    }
    gsi_routes_ = std::move(table);
}

bool StandInKvm::immediate_exit_set(unsigned id) const {
    // No kernel lock: the vCPU may sit in KVM_RUN holding it for a while.
    for (const auto& [fd, v] : vcpus_)
        if (v->id == id) return std::atomic_ref(v->run->immediate_exit).load() != 0;
    return false;
}

uint32_t StandInKvm::mpic_register(uint64_t offset) const {
    std::lock_guard lock(kernel_);
    return mpic_ ? static_cast<uint32_t>(mpic_->mmio_read(offset, 4)) : 0;
}

void StandInKvm::get_pvinfo(int vm, uapi::PpcPvinfo& info) {
    std::lock_guard lock(kernel_);
    calls.push_back("KVM_PPC_GET_PVINFO");
    require_vm(vm, "KVM_PPC_GET_PVINFO");
    // What a Book E HV host reports: the ePAPR hypercall is `sc 1`.
    info = {};
    info.flags = uapi::kPvinfoFlagsEvIdle;
    info.hcall[0] = 0x44000022;
    info.hcall[1] = info.hcall[2] = info.hcall[3] = 0x60000000;
}

uapi::Run* StandInKvm::map_run(int fd, size_t size) {
    std::lock_guard lock(kernel_);
    Vcpu& v = vcpu(fd, "mmap");
    if (size != kRunSize)
        refuse("mmap of kvm_run", EINVAL, "size differs from KVM_GET_VCPU_MMAP_SIZE");
    v.mapped = true;
    return v.run;
}

void StandInKvm::unmap_run(uapi::Run*, size_t) {}

void StandInKvm::get_regs(int fd, uapi::Regs& r) {
    std::lock_guard lock(kernel_);
    Vcpu& v = vcpu(fd, "KVM_GET_REGS");
    const emu::Core& c = *v.core;
    r = {};
    r.pc = c.pc;
    r.cr = c.cr;
    r.ctr = c.ctr;
    r.lr = c.lr;
    r.xer = c.xer;
    r.msr = c.msr;
    r.srr0 = c.s.srr0;
    r.srr1 = c.s.srr1;
    r.pid = c.s.pid;
    uint64_t* sprg = &r.sprg0;
    for (unsigned n = 0; n < 8; ++n)
        sprg[n] = c.s.sprg[n];
    for (unsigned n = 0; n < 32; ++n)
        r.gpr[n] = c.gpr[n];
}

void StandInKvm::set_regs(int fd, const uapi::Regs& r) {
    std::lock_guard lock(kernel_);
    calls.push_back("KVM_SET_REGS");
    emu::Core& c = *vcpu(fd, "KVM_SET_REGS").core;
    c.pc = static_cast<uint32_t>(r.pc);
    c.cr = static_cast<uint32_t>(r.cr);
    c.ctr = static_cast<uint32_t>(r.ctr);
    c.lr = static_cast<uint32_t>(r.lr);
    c.xer = static_cast<uint32_t>(r.xer);
    c.set_msr(static_cast<uint32_t>(r.msr));
    c.s.srr0 = static_cast<uint32_t>(r.srr0);
    c.s.srr1 = static_cast<uint32_t>(r.srr1);
    c.set_pid(static_cast<uint32_t>(r.pid));
    const uint64_t* sprg = &r.sprg0;
    for (unsigned n = 0; n < 8; ++n)
        c.s.sprg[n] = static_cast<uint32_t>(sprg[n]);
    for (unsigned n = 0; n < 32; ++n)
        c.gpr[n] = static_cast<uint32_t>(r.gpr[n]);
    c.waiting = false;
}

namespace {
// What an e500mc host reports: get_sregs_base, get_sregs_arch206,
// kvmppc_core_get_sregs_e500mc (ARCH206_MMU, PM, PC), kvmppc_get_sregs_ivor.
// No SPRG8: it has no sregs field on this core.
constexpr uint32_t kSregsFeatures = uapi::sregs::E_BASE | uapi::sregs::E_ARCH206 |
                                    uapi::sregs::E_IVOR | uapi::sregs::E_ARCH206_MMU |
                                    uapi::sregs::E_PM | uapi::sregs::E_PC;
// ivor_high[3..5]: performance monitor, doorbell, doorbell critical (IVOR35-37).
constexpr unsigned kIvorHighFirst = 32;
} // namespace

void StandInKvm::get_sregs(int fd, uapi::Sregs& out) {
    std::lock_guard lock(kernel_);
    Vcpu& v = vcpu(fd, "KVM_GET_SREGS");
    emu::Core& c = *v.core;
    out = {};
    out.pvr = host_.cpu.pvr;
    auto& e = out.u.e;
    e.features = kSregsFeatures;
    e.impl_id = uapi::sregs::E_IMPL_FSL;
    e.impl.fsl.svr = c.s.svr;
    e.impl.fsl.hid0 = c.s.hid0;
    e.impl.fsl.mcar = c.s.mcar;
    e.pir = v.id; // get_sregs_arch206: the vCPU id, whatever the guest's PIR
    e.csrr0 = c.s.csrr0;
    e.csrr1 = c.s.csrr1;
    e.mcsrr0 = c.s.mcsrr0;
    e.mcsrr1 = c.s.mcsrr1;
    e.esr = c.s.esr;
    e.dear = c.s.dear;
    e.ivpr = c.s.ivpr;
    e.mcsr = c.s.mcsr;
    e.tsr = c.s.tsr;
    e.tcr = c.s.tcr;
    e.decar = c.s.decar;
    e.dec = c.dec();
    e.tb = c.timebase();
    e.vrsave = c.s.usprg0;
    e.epr = c.s.epr;
    e.mas0 = c.mas.mas0;
    e.mas1 = c.mas.mas1;
    e.mas2 = c.mas.mas2;
    e.mas7_3 = (uint64_t{c.mas.mas7} << 32) | c.mas.mas3;
    e.mas4 = c.mas.mas4;
    e.mas6 = c.mas.mas6;
    for (unsigned n = 0; n < 16; ++n)
        e.ivor_low[n] = c.s.ivor[n];
    for (unsigned n = 3; n < 6; ++n)
        e.ivor_high[n] = c.s.ivor[kIvorHighFirst + n];
    e.mmucfg = c.mmu.mmucfg();
    e.tlbcfg[0] = c.mmu.tlb0cfg();
    e.tlbcfg[1] = c.mmu.tlb1cfg();
}

void StandInKvm::set_sregs(int fd, const uapi::Sregs& in) {
    std::lock_guard lock(kernel_);
    const char* call = "KVM_SET_SREGS";
    calls.push_back(call);
    Vcpu& v = vcpu(fd, call);
    emu::Core& c = *v.core;
    if (!host_.caps.count(uapi::CapPpcBookeSregs))
        refuse(call, ENOTTY, "no KVM_CAP_PPC_BOOKE_SREGS");
    if (in.pvr != host_.cpu.pvr) refuse(call, EINVAL, "PVR differs from the host's");
    const auto& e = in.u.e;
    if (e.features & ~kSregsFeatures) refuse(call, EINVAL, "features the kernel did not report");
    if (e.features & uapi::sregs::E_BASE) {
        c.s.csrr0 = static_cast<uint32_t>(e.csrr0);
        c.s.csrr1 = e.csrr1;
        c.s.esr = e.esr;
        c.s.dear = static_cast<uint32_t>(e.dear);
        c.s.usprg0 = e.vrsave;
        c.write_tcr(e.tcr);
        c.s.mcsr = static_cast<uint32_t>(e.mcsr); // set_sregs_base: always, whatever update_special
        if (e.update_special & uapi::sregs::E_UPDATE_TSR) c.s.tsr = e.tsr;
        if (e.update_special & uapi::sregs::E_UPDATE_DEC) c.set_dec(e.dec);
    }
    // set_sregs_arch206 refuses a PIR other than the vCPU id.
    if (e.features & uapi::sregs::E_ARCH206 && e.pir != v.id)
        refuse(call, EINVAL, "pir is not the vCPU id");
    if (e.features & uapi::sregs::E_ARCH206) {
        c.s.mcsrr0 = static_cast<uint32_t>(e.mcsrr0);
        c.s.mcsrr1 = e.mcsrr1;
        c.s.decar = e.decar;
        c.s.ivpr = static_cast<uint32_t>(e.ivpr);
    }
    if (e.features & uapi::sregs::E_IVOR) {
        for (unsigned n = 0; n < 16; ++n)
            c.s.ivor[n] = e.ivor_low[n];
        // kvmppc_core_set_sregs_e500mc: IVOR35 with PM, IVOR36/37 with PC.
        if (e.features & uapi::sregs::E_PM) c.s.ivor[kIvorHighFirst + 3] = e.ivor_high[3];
        if (e.features & uapi::sregs::E_PC)
            for (unsigned n = 4; n < 6; ++n)
                c.s.ivor[kIvorHighFirst + n] = e.ivor_high[n];
    }
    if (e.features & uapi::sregs::E_ARCH206_MMU) {
        c.mas.mas0 = e.mas0;
        c.mas.mas1 = e.mas1;
        c.mas.mas2 = static_cast<uint32_t>(e.mas2);
        c.mas.mas3 = static_cast<uint32_t>(e.mas7_3);
        c.mas.mas7 = static_cast<uint32_t>(e.mas7_3 >> 32);
        c.mas.mas4 = e.mas4;
        c.mas.mas6 = e.mas6;
    }
}

void StandInKvm::get_one_reg(int fd, const uapi::OneReg& reg) {
    std::lock_guard lock(kernel_);
    emu::Core& c = *vcpu(fd, "KVM_GET_ONE_REG").core;
    uint32_t value;
    switch (reg.id) {
    case uapi::reg::TCR:
        value = c.s.tcr;
        break;
    case uapi::reg::TSR:
        value = c.s.tsr;
        break;
    case uapi::reg::EPR:
        value = c.s.epr;
        break;
    case uapi::reg::DEBUG_INST:
        value = kDebugInst;
        break;
    default:
        refuse("KVM_GET_ONE_REG", EINVAL, fmt::format("register id {:#x}", reg.id));
    }
    std::memcpy(reinterpret_cast<void*>(static_cast<uintptr_t>(reg.addr)), &value, sizeof value);
}

void StandInKvm::set_one_reg(int fd, const uapi::OneReg& reg) {
    std::lock_guard lock(kernel_);
    const char* call = "KVM_SET_ONE_REG";
    calls.push_back(call);
    emu::Core& c = *vcpu(fd, call).core;
    if (!host_.caps.count(uapi::CapOneReg)) refuse(call, ENOTTY, "no KVM_CAP_ONE_REG");
    if ((reg.id & 0x00f0000000000000ull) != uapi::kRegSizeU32)
        refuse(call, EINVAL, "the Book E timer registers are 32-bit");
    uint32_t value = read_user<uint32_t>(reg.addr);
    switch (reg.id) {
    case uapi::reg::TCR:
        c.write_tcr(value);
        break;
    case uapi::reg::TSR:
        c.s.tsr = value;
        break;
    case uapi::reg::OR_TSR:
        c.s.tsr |= value;
        break;
    case uapi::reg::CLEAR_TSR:
        c.s.tsr &= ~value;
        break;
    default:
        refuse(call, EINVAL, fmt::format("register id {:#x}", reg.id));
    }
}

void StandInKvm::enable_cap(int fd, const uapi::EnableCap& cap) {
    std::lock_guard lock(kernel_);
    const char* call = "KVM_ENABLE_CAP";
    Vcpu& v = vcpu(fd, call);
    if (cap.flags != 0) refuse(call, EINVAL, "flags must be 0");
    if (!host_.caps.count(cap.cap))
        refuse(call, EINVAL, fmt::format("capability {} absent", cap.cap));
    if (cap.cap == uapi::CapSwTlb) {
        calls.push_back("KVM_ENABLE_CAP(SW_TLB)");
        auto config = read_user<uapi::ConfigTlb>(cap.args[0]);
        if (config.mmu_type != uapi::kMmuFslBookeNohv)
            refuse(call, EINVAL, "mmu_type must be KVM_MMU_FSL_BOOKE_NOHV");
        auto p = read_user<uapi::Book3e206TlbParams>(config.params);
        uint32_t ways = p.tlb_ways[0];
        if (ways < 2 || ways > 16 || (ways & (ways - 1)) || p.tlb_sizes[0] % ways)
            refuse(call, EINVAL, "TLB0 ways must be a power of two in 2..16 dividing its size");
        uint32_t sets = p.tlb_sizes[0] / ways;
        if (sets & (sets - 1)) refuse(call, EINVAL, "TLB0 sets must be a power of two");
        if (p.tlb_sizes[1] > 64 || p.tlb_ways[1] != p.tlb_sizes[1])
            refuse(call, EINVAL, "TLB1 must be fully associative with at most 64 entries");
        if (p.tlb_sizes[2] || p.tlb_sizes[3] || p.tlb_ways[2] || p.tlb_ways[3])
            refuse(call, EINVAL, "TLB2/TLB3 are reserved");
        if (p.tlb_sizes[0] != host_.cpu.tlb0_entries || ways != host_.cpu.tlb0_ways ||
            p.tlb_sizes[1] != host_.cpu.tlb1_entries)
            refuse(call, EINVAL, "the stand-in supports the host core's TLB geometry only");
        size_t entries = p.tlb_sizes[0] + p.tlb_sizes[1];
        if (config.array == 0 || config.array_len < entries * sizeof(vmm::TlbEntry))
            refuse(call, EINVAL, "array shorter than the entries it must hold");
        v.params = p;
        v.array = reinterpret_cast<vmm::TlbEntry*>(static_cast<uintptr_t>(config.array));
        v.sw_tlb = true;
        load_tlb(v);
    } else if (cap.cap == uapi::CapIrqMpic) {
        calls.push_back("KVM_ENABLE_CAP(IRQ_MPIC)");
        if (static_cast<int>(cap.args[0]) != mpic_fd_ || mpic_fd_ < 0)
            refuse(call, EBADF, "args[0] is not the MPIC device fd");
        if (cap.args[1] != v.id) refuse(call, EINVAL, "the stand-in maps MPIC CPU n to vCPU n");
        if (v.mpic_connected) refuse(call, EEXIST, "vCPU already connected");
        v.mpic_connected = true;
    } else if (cap.cap == uapi::CapPpcBookeWatchdog) {
        // Per vCPU, as the kernel keeps it: from now on the final expiry exits to userspace.
        calls.push_back("KVM_ENABLE_CAP(PPC_BOOKE_WATCHDOG)");
        v.watchdog_exit = true;
    } else {
        refuse(call, EINVAL, fmt::format("capability {} cannot be enabled on a vCPU", cap.cap));
    }
}

// The shared array is the TLB: reload the core's from all of it. TLB0
// entry set*ways+way must hold an EPN of that set (its layout).
void StandInKvm::load_tlb(Vcpu& v) {
    emu::Core& c = *v.core;
    const uint32_t ways = v.params.tlb_ways[0];
    const uint32_t sets = v.params.tlb_sizes[0] / ways;
    c.mmu.reset();
    for (uint32_t i = 0; i < v.params.tlb_sizes[0]; ++i) {
        const vmm::TlbEntry& e = v.array[i];
        if (!(e.mas1 & kMas1Valid)) continue;
        if (((e.mas2 >> 12) & (sets - 1)) != i / ways)
            refuse("KVM_DIRTY_TLB", EINVAL,
                   fmt::format("TLB0 entry {} holds an EPN of another set", i));
        emu::MasRegisters mas;
        mas.mas0 = (i % ways) << 16;
        mas.mas1 = e.mas1;
        mas.mas2 = static_cast<uint32_t>(e.mas2);
        mas.mas3 = static_cast<uint32_t>(e.mas7_3);
        mas.mas7 = static_cast<uint32_t>(e.mas7_3 >> 32);
        c.mmu.tlbwe(mas);
    }
    for (uint32_t n = 0; n < v.params.tlb_sizes[1]; ++n)
        c.mmu.set_tlb1(n, v.array[v.params.tlb_sizes[0] + n]);
    (void)kMas0TlbSel1;
}

// Before returning to userspace the kernel writes the guest's TLB back.
void StandInKvm::store_tlb(Vcpu& v) {
    const auto& tlb0 = v.core->mmu.tlb0();
    const auto& tlb1 = v.core->mmu.tlb1();
    for (size_t i = 0; i < tlb0.size() && i < v.params.tlb_sizes[0]; ++i)
        v.array[i] = tlb0[i];
    for (size_t n = 0; n < tlb1.size() && n < v.params.tlb_sizes[1]; ++n)
        v.array[v.params.tlb_sizes[0] + n] = tlb1[n];
}

void StandInKvm::dirty_tlb(int fd, const uapi::DirtyTlb& dirty) {
    std::lock_guard lock(kernel_);
    const char* call = "KVM_DIRTY_TLB";
    calls.push_back(call);
    Vcpu& v = vcpu(fd, call);
    if (!v.sw_tlb) refuse(call, EINVAL, "KVM_CAP_SW_TLB is not enabled");
    if (dirty.num_dirty > v.params.tlb_sizes[0] + v.params.tlb_sizes[1] || dirty.bitmap == 0)
        refuse(call, EINVAL, "more dirty entries than the array has");
    load_tlb(v);
}

// The kernel's rules for KVM_SET_GUEST_DEBUG on Book E: without ENABLE
// everything is off; with USE_HW_BP bp[0..3] hold at most two instruction
// breakpoints (IAC) and two watchpoints (DAC), types from KVMPPC_DEBUG_*.
void StandInKvm::set_guest_debug(int fd, const uapi::GuestDebug& debug) {
    std::lock_guard lock(kernel_);
    const char* call = "KVM_SET_GUEST_DEBUG";
    calls.push_back(call);
    Vcpu& v = vcpu(fd, call);
    emu::DebugHooks hooks;
    std::vector<uint64_t> dac;
    if (debug.control & uapi::kGuestDbgEnable && debug.control & uapi::kGuestDbgUseHwBp) {
        unsigned iacs = 0;
        for (unsigned n = 0; n < uapi::kBookeIacs + uapi::kBookeDacs; ++n) {
            const auto& bp = debug.bp[n];
            if (bp.type == 0) continue;
            if (bp.type &
                ~(uapi::kDebugBreakpoint | uapi::kDebugWatchWrite | uapi::kDebugWatchRead))
                refuse(call, EINVAL, fmt::format("bp[{}] type {:#x}", n, bp.type));
            if (bp.type & uapi::kDebugBreakpoint) {
                if (++iacs > uapi::kBookeIacs) refuse(call, EINVAL, "more than two IACs");
                hooks.breakpoints.push_back(
                    {static_cast<uint32_t>(bp.addr), debug::BreakKind::Hardware});
                continue;
            }
            if (dac.size() == uapi::kBookeDacs) refuse(call, EINVAL, "more than two DACs");
            bool write = bp.type & uapi::kDebugWatchWrite, read = bp.type & uapi::kDebugWatchRead;
            debug::BreakKind kind = write && read ? debug::BreakKind::WatchAccess
                                    : write       ? debug::BreakKind::WatchWrite
                                                  : debug::BreakKind::WatchRead;
            hooks.watches.push_back({static_cast<uint32_t>(bp.addr), 1, kind});
            dac.push_back(bp.addr);
        }
    }
    v.guest_debug = debug.control & uapi::kGuestDbgEnable ? debug.control : 0;
    v.hooks = std::move(hooks);
    v.dac = std::move(dac);
    v.sw_break = false;
    v.core->debug = v.guest_debug ? &v.hooks : nullptr;
    // Watched accesses must leave the core's fast paths; and the debugger
    // may have patched code in guest RAM behind the decoded-code cache
    // (a real host flushes its instruction cache for the same reason).
    v.core->invalidate_soft_tlb();
    shared_->code.invalidate_all();
}

void StandInKvm::close(int fd) {
    std::lock_guard lock(kernel_);
    (void)fd; // descriptors live as long as the stand-in
}

// ---------------------------------------------------------------- KVM_RUN

int StandInKvm::run(int fd) {
    std::unique_lock lock(kernel_);
    const char* call = "KVM_RUN";
    Vcpu& v = vcpu(fd, call);
    if (!v.mapped) refuse(call, EINVAL, "kvm_run is not mapped");
    if (!v.sw_tlb) refuse(call, EINVAL, "KVM_CAP_SW_TLB was not enabled");
    if (mpic_ && (!mpic_placed_ || !v.mpic_connected))
        refuse(call, EINVAL, "the MPIC needs its base address and every vCPU connected");
    if (!bus_ready_) {
        // Everything that is neither RAM nor the in-kernel MPIC exits to userspace.
        auto& bus = kernel_vm_->bus;
        uint64_t hole = mpic_ ? mpic_base_ : kPhysEnd;
        uint64_t hole_end = mpic_ ? mpic_base_ + uapi::kMpicSize : kPhysEnd;
        if (mpic_) bus.add(mpic_base_, uapi::kMpicSize, mpic_.get(), "in-kernel MPIC");
        if (hole > 0) {
            exit_handlers_.push_back(std::make_unique<ExitToUser>(*this, 0));
            bus.add(0, hole, exit_handlers_.back().get(), "userspace");
        }
        if (hole_end < kPhysEnd) {
            exit_handlers_.push_back(std::make_unique<ExitToUser>(*this, hole_end));
            bus.add(hole_end, kPhysEnd - hole_end, exit_handlers_.back().get(), "userspace");
        }
        bus_ready_ = true;
    }
    // kvm_arch_vcpu_ioctl_run: a pending MMIO load is completed first, into
    // whatever the registers hold now, and only then is immediate_exit
    // looked at (kvm_vcpu_ioctl's wants_to_run).
    if (v.mmio_needed) {
        v.mmio_needed = false;
        complete_mmio_load(v);
    }
    if (std::atomic_ref(v.run->immediate_exit).load()) {
        v.run->exit_reason = uapi::ExitIntr;
        return -EINTR;
    }
    v.phase = Vcpu::Phase::Running;
    v.kernel_cv.notify_all();
    v.user_cv.wait(lock, [&] { return v.phase == Vcpu::Phase::Exited || shutting_down_; });
    store_tlb(v);
    return v.run->exit_reason == uapi::ExitIntr ? -EINTR : 0;
}

void StandInKvm::kernel_thread(Vcpu& v) {
    std::unique_lock lock(kernel_);
    for (;;) {
        v.kernel_cv.wait(lock, [&] { return v.phase == Vcpu::Phase::Running || shutting_down_; });
        if (shutting_down_) return;
        execute(v, lock);
    }
}

// Hands the exit written into kvm_run to the thread in KVM_RUN.
void StandInKvm::post_exit(Vcpu& v, uint32_t reason) {
    v.run->exit_reason = reason;
    v.phase = Vcpu::Phase::Exited;
    v.user_cv.notify_all();
}

// The core stops at the end of the instruction it is executing.
void StandInKvm::stop_after_instruction(Vcpu& v) {
    v.hooks.stop = true;
    v.core->debug = &v.hooks;
    v.core->sync = true;
}

void StandInKvm::execute(Vcpu& v, std::unique_lock<TicketMutex>& lock) {
    emu::Core& c = *v.core;
    for (;;) {
        if (shutting_down_) return;
        if (std::atomic_ref(v.run->immediate_exit).load()) return post_exit(v, uapi::ExitIntr);
        if (c.checkstop) {
            v.run->internal.suberror = 1;
            v.run->internal.ndata = 0;
            return post_exit(v, uapi::ExitInternalError);
        }
        kernel_vm_->timers.run_due(kernel_vm_->clock.now_ns());
        const bool stepping = v.guest_debug & uapi::kGuestDbgSingleStep;
        if (c.waiting && !stepping) {
            c.update_timers();
            if (!c.has_enabled_interrupt()) {
                v.kernel_cv.wait_for(lock, std::chrono::milliseconds(1));
                continue;
            }
            c.waiting = false;
        }
        c.run(stepping ? 1 : kQuantum);
        if (v.access.active && emulate_device_access(v)) return;
        if ((v.hooks.stop || stepping) && debug_exit(v)) return;
        // The core's watchdog expired a third time with TCR[WRC] set (the
        // emulator asks for a reset). The kernel never resets the guest
        // itself: with KVM_CAP_PPC_BOOKE_WATCHDOG enabled it leaves KVM_RUN
        // with KVM_EXIT_WATCHDOG, otherwise nothing happens.
        if (kernel_vm_->control.take_reset_request()) {
            ++final_watchdog_expiries;
            if (v.watchdog_exit) {
                ++watchdog_exits;
                return post_exit(v, uapi::ExitWatchdog);
            }
        }
        // Between quanta every other vCPU and every waiting ioctl gets the lock in turn.
        lock.unlock();
        lock.lock();
    }
}

// After guest code ran with guest debugging on: a breakpoint, watchpoint or
// completed single step leaves KVM_RUN as KVM_EXIT_DEBUG with the kernel's
// status and address (the breakpoint's pc, the DAC's address, or the pc
// after the stepped instruction). False: keep running.
bool StandInKvm::debug_exit(Vcpu& v) {
    auto& out = v.run->debug;
    out.status = 0;
    out.address = v.core->pc;
    if (v.sw_break) {
        v.sw_break = false;
    } else if (v.hooks.stop && v.hooks.event.why == debug::StopEvent::Why::Breakpoint) {
        out.status = uapi::kDebugBreakpoint;
    } else if (v.hooks.stop && v.hooks.event.why == debug::StopEvent::Why::Watchpoint) {
        out.status = v.hooks.event.kind == debug::BreakKind::WatchRead ? uapi::kDebugWatchRead
                                                                       : uapi::kDebugWatchWrite;
        for (uint64_t address : v.dac)
            if (static_cast<uint32_t>(address) == v.hooks.event.data_address) out.address = address;
    } else if (!(v.guest_debug & uapi::kGuestDbgSingleStep)) {
        return false;
    }
    v.hooks.stop = false;
    v.core->debug = v.guest_debug ? &v.hooks : nullptr;
    ++debug_exits;
    post_exit(v, uapi::ExitDebug);
    return true;
}

// Called from the emulator core (kernel lock held) for an access outside RAM
// and the in-kernel MPIC. The real core would have trapped before the
// access; here the instruction runs to its end on dummy data (the rest of
// its accesses do nothing) and the core stops, and emulate_device_access
// puts back the state from before it.
void StandInKvm::device_access(unsigned cpu, uint64_t addr, unsigned size, uint64_t value,
                               bool write) {
    Vcpu* v = nullptr;
    for (auto& [fd, candidate] : vcpus_)
        if (candidate->id == cpu) v = candidate.get();
    if (!v || v->access.active) return;
    const emu::Core& c = *v->core;
    auto& a = v->access;
    a.active = true;
    a.write = write;
    a.addr = addr;
    a.size = size;
    a.value = value;
    a.gpr = c.gpr;
    a.cr = c.cr;
    a.xer = c.xer;
    a.lr = c.lr;
    a.ctr = c.ctr;
    a.pc = c.pc;
    a.msr = c.msr;
    a.srr0 = c.s.srr0;
    a.srr1 = c.s.srr1;
    a.esr = c.s.esr;
    a.dear = c.s.dear;
    a.fp = c.fp;
    a.reserved = c.reserved;
    stop_after_instruction(*v);
}

// kvmppc_emulate_mmio / kvmppc_emulate_loadstore for the instruction that
// made the access. A plain load or store leaves KVM_RUN as KVM_EXIT_MMIO
// with the PC already past it (and an update form's rA written); a load's
// register is written on the next KVM_RUN (mmio_needed). Any other
// instruction (lmw, stmw, l*arx, st*cx., string forms) fails emulation and
// Book E queues a program interrupt with ESR 0, without an exit. True: the
// vCPU left KVM_RUN.
bool StandInKvm::emulate_device_access(Vcpu& v) {
    emu::Core& c = *v.core;
    auto a = v.access;
    v.access.active = false;
    v.hooks.stop = false;
    c.debug = v.guest_debug ? &v.hooks : nullptr;
    uint32_t raw = 0;
    emu::Translation t = c.mmu.translate(a.pc, emu::Access::Execute, (a.msr & emu::msr::IS) != 0,
                                         (a.msr & emu::msr::PR) != 0, c.s.pid);
    if (t.fault == emu::Translation::Fault::None && kernel_vm_->ram.contains(t.pa, 4))
        raw = static_cast<uint32_t>(kernel_vm_->ram.read_be(t.pa, 4).value_or(0));
    const KernelMmioInsn insn = decode_kernel_mmio(raw);
    const uint32_t updated_ra = c.gpr[insn.ra];
    c.gpr = a.gpr;
    c.cr = a.cr;
    c.xer = a.xer;
    c.lr = a.lr;
    c.ctr = a.ctr;
    c.set_msr(a.msr);
    c.s.srr0 = a.srr0;
    c.s.srr1 = a.srr1;
    c.s.esr = a.esr;
    c.s.dear = a.dear;
    c.fp = a.fp;
    c.reserved = a.reserved;
    c.pc = a.pc;
    c.flow = false;
    using Kind = KernelMmioInsn::Kind;
    if (insn.kind == Kind::Unsupported) {
        ++mmio_program_interrupts;
        c.program(0); // kvmppc_core_queue_program(vcpu, 0)
        c.pc = c.npc;
        c.flow = false;
        return false;
    }
    c.pc = a.pc + 4;
    if (insn.kind == Kind::CacheOp) return false; // done, nothing to do (dcbz)
    if (insn.update) c.gpr[insn.ra] = updated_ra;
    auto& mmio = v.run->mmio;
    mmio.phys_addr = a.addr;
    mmio.len = a.size;
    mmio.is_write = a.write ? 1 : 0;
    std::memset(mmio.data, 0, sizeof mmio.data);
    if (a.write) // the bytes in guest memory order, as the core was storing them
        for (unsigned n = 0; n < a.size; ++n)
            mmio.data[n] = static_cast<uint8_t>(a.value >> (8 * (a.size - 1 - n)));
    v.mmio_needed = !a.write;
    v.mmio_load = insn;
    ++mmio_exits;
    post_exit(v, uapi::ExitMmio);
    return true;
}

// kvmppc_complete_mmio_load: the data userspace left in kvm_run, byte
// reversed for lhbrx/lwbrx, sign-extended for lha, into the register the
// load named (an FPR for lfs/lfd, converted from single for lfs).
void StandInKvm::complete_mmio_load(Vcpu& v) {
    emu::Core& c = *v.core;
    const auto& mmio = v.run->mmio;
    const KernelMmioInsn& insn = v.mmio_load;
    const unsigned size = std::min<unsigned>(mmio.len, 8);
    uint64_t value = 0;
    for (unsigned n = 0; n < size; ++n)
        value = insn.byte_reverse ? value | (uint64_t{mmio.data[n]} << (8 * n))
                                  : (value << 8) | mmio.data[n];
    if (insn.sign_extend && size == 2) value = static_cast<uint64_t>(static_cast<int16_t>(value));
    switch (insn.fp) {
    case KernelMmioInsn::Fp::Single: {
        float single;
        uint32_t bits = static_cast<uint32_t>(value);
        std::memcpy(&single, &bits, sizeof single);
        double widened = single;
        std::memcpy(&c.fp.fpr[insn.reg], &widened, sizeof widened);
        break;
    }
    case KernelMmioInsn::Fp::Double:
        c.fp.fpr[insn.reg] = value;
        break;
    default:
        c.gpr[insn.reg] = static_cast<uint32_t>(value);
        break;
    }
    ++completed_mmio_loads;
}

} // namespace vmc::kvm::test
