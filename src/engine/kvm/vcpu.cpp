#include "engine/kvm/vcpu.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace vmc::kvm {

static_assert(sizeof(vmm::TlbEntry) == 24, "TlbEntry must keep kvm_book3e_206_tlb_entry's layout");

Vcpu::Vcpu(KvmApi& a, int vm_fd, unsigned idx, const model::CpuModel& cpu)
    : api(a), index(idx), fd(a.create_vcpu(vm_fd, idx)) {
    run_size_ = api.vcpu_mmap_size();
    if (run_size_ < sizeof(uapi::Run)) {
        api.close(fd);
        throw KvmError(
            fmt::format("KVM_GET_VCPU_MMAP_SIZE is {} bytes, smaller than kvm_run", run_size_),
            EINVAL);
    }
    run = api.map_run(fd, run_size_);
    enable_sw_tlb(cpu);
}

Vcpu::~Vcpu() {
    if (run) api.unmap_run(run, run_size_);
    api.close(fd);
}

// The guest's TLB lives in our memory; the kernel reads it on KVM_DIRTY_TLB
// and writes it back before every exit. The geometry is the model's; the
// 6.1 kernel accepts only the NOHV MMU type, even on e500mc hosts.
void Vcpu::enable_sw_tlb(const model::CpuModel& cpu) {
    tlb0_entries_ = cpu.tlb0_entries;
    params_.tlb_sizes[0] = cpu.tlb0_entries;
    params_.tlb_ways[0] = cpu.tlb0_ways;
    params_.tlb_sizes[1] = cpu.tlb1_entries;
    params_.tlb_ways[1] = cpu.tlb1_entries; // fully associative
    tlb_.assign(cpu.tlb0_entries + cpu.tlb1_entries, vmm::TlbEntry{});

    uapi::ConfigTlb config{};
    config.params = reinterpret_cast<uintptr_t>(&params_);
    config.array = reinterpret_cast<uintptr_t>(tlb_.data());
    config.mmu_type = uapi::kMmuFslBookeNohv;
    config.array_len = static_cast<uint32_t>(tlb_.size() * sizeof(vmm::TlbEntry));
    uapi::EnableCap cap{};
    cap.cap = uapi::CapSwTlb;
    cap.args[0] = reinterpret_cast<uintptr_t>(&config);
    api.enable_cap(fd, cap);
}

void Vcpu::write_tlb(const vmm::CpuBootState& state) {
    std::fill(tlb_.begin(), tlb_.end(), vmm::TlbEntry{});
    for (const auto& e : state.tlb1) {
        size_t at = tlb0_entries_ + e.index;
        if (e.index >= params_.tlb_sizes[1])
            throw KvmError(fmt::format("boot TLB1 entry {} is beyond the {} entries of TLB1",
                                       e.index, params_.tlb_sizes[1]),
                           EINVAL);
        tlb_[at] = e.entry;
    }
    // Every entry changed: mark them all dirty.
    std::vector<uint64_t> bitmap((tlb_.size() + 63) / 64, ~0ull);
    uapi::DirtyTlb dirty{};
    dirty.bitmap = reinterpret_cast<uintptr_t>(bitmap.data());
    dirty.num_dirty = static_cast<uint32_t>(tlb_.size());
    api.dirty_tlb(fd, dirty);
}

void Vcpu::apply(const vmm::CpuBootState& state) {
    uapi::Regs regs{};
    api.get_regs(fd, regs);
    std::memset(&regs, 0, sizeof regs);
    regs.pc = state.pc;
    regs.msr = state.msr;
    for (unsigned n = 0; n < 32; ++n)
        regs.gpr[n] = state.gpr[n];
    api.set_regs(fd, regs);

    // Read-modify-write: fields of features we do not touch keep the
    // kernel's values, and the PVR stays the host's (the kernel refuses others).
    uapi::Sregs sregs{};
    api.get_sregs(fd, sregs);
    auto& e = sregs.u.e;
    if (!(e.features & uapi::sregs::E_BASE) || !(e.features & uapi::sregs::E_ARCH206))
        throw KvmError(
            fmt::format("the host kernel's Book E sregs lack BASE/ARCH206 (features {:#x})",
                        e.features),
            ENOTSUP);
    e.update_special = uapi::sregs::E_UPDATE_DEC | uapi::sregs::E_UPDATE_TSR;
    e.dec = 0;
    e.decar = 0;
    e.tsr = 0;
    e.tcr = 0;
    e.csrr0 = e.mcsrr0 = 0;
    e.csrr1 = e.mcsrr1 = e.esr = 0;
    e.mcsr = 0; // the kernel writes MCSR from every SET_SREGS, not only on E_UPDATE_MCSR
    e.dear = e.ivpr = 0;
    if (e.features & uapi::sregs::E_IVOR) std::memset(e.ivor_low, 0, sizeof e.ivor_low);
    if (e.features & uapi::sregs::E_ARCH206_MMU) {
        e.mas0 = e.mas1 = e.mas4 = e.mas6 = 0;
        e.mas2 = e.mas7_3 = 0;
    }
    api.set_sregs(fd, sregs);

    // TCR and TSR have ONE_REG ids; the decrementer has none (sregs above).
    uint32_t zero = 0;
    api.set_one_reg(fd, {uapi::reg::TCR, reinterpret_cast<uintptr_t>(&zero)});
    api.set_one_reg(fd, {uapi::reg::TSR, reinterpret_cast<uintptr_t>(&zero)});

    write_tlb(state);
}

uint32_t Vcpu::pvr() const {
    uapi::Sregs sregs{};
    api.get_sregs(fd, sregs);
    return sregs.pvr;
}

std::string Vcpu::dump() const {
    uapi::Regs r{};
    uapi::Sregs s{};
    try {
        api.get_regs(fd, r);
        api.get_sregs(fd, s);
    } catch (const KvmError& error) {
        return fmt::format("cpu{}: registers unavailable: {}\n", index, error.what());
    }
    const auto& e = s.u.e;
    std::string out = fmt::format(
        "cpu{}: pc={:08x} msr={:08x} lr={:08x} ctr={:08x} cr={:08x} xer={:08x} pid={}\n", index,
        r.pc, r.msr, r.lr, r.ctr, r.cr, r.xer, r.pid);
    for (unsigned n = 0; n < 32; n += 8) {
        out += fmt::format("  r{:<2}", n);
        for (unsigned k = n; k < n + 8; ++k)
            out += fmt::format(" {:08x}", static_cast<uint32_t>(r.gpr[k]));
        out += '\n';
    }
    out +=
        fmt::format("  srr0={:08x} srr1={:08x} csrr0={:08x} csrr1={:08x} esr={:08x} dear={:08x}\n",
                    r.srr0, r.srr1, e.csrr0, e.csrr1, e.esr, e.dear);
    out +=
        fmt::format("  pvr={:08x} pir={} ivpr={:08x} tcr={:08x} tsr={:08x} dec={:08x} tb={:016x}\n",
                    s.pvr, e.pir, e.ivpr, e.tcr, e.tsr, e.dec, e.tb);
    out += fmt::format("  mas0={:08x} mas1={:08x} mas2={:08x} mas7_3={:016x}\n", e.mas0, e.mas1,
                       e.mas2, e.mas7_3);
    for (size_t n = tlb0_entries_; n < tlb_.size(); ++n) {
        const auto& t = tlb_[n];
        if (!(t.mas1 & 0x80000000)) continue;
        out += fmt::format("  tlb1[{:2}] mas1={:08x} mas2={:08x} mas7_3={:016x}\n",
                           n - tlb0_entries_, t.mas1, t.mas2, t.mas7_3);
    }
    return out;
}

} // namespace vmc::kvm
