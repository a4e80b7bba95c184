#include "engine/kvm/kvm_debug.hpp"

#include <algorithm>

namespace vmc::kvm {

namespace {

using debug::BreakKind;
using debug::RegisterId;

constexpr uint32_t kMsrIs = 0x20, kMsrDs = 0x10;
constexpr uint32_t kMas1Valid = 0x80000000;

// Book E SPR numbers the debugger may ask for (debug/registers.cpp).
enum Spr : unsigned {
    Srr0 = 26,
    Srr1 = 27,
    Pid = 48,
    Dec = 22,
    Decar = 54,
    Csrr0 = 58,
    Csrr1 = 59,
    Dear = 61,
    Esr = 62,
    Ivpr = 63,
    Sprg0 = 272,
    Sprg7 = 279,
    Usprg0 = 256,
    Tbl = 268,
    Tbu = 269,
    Pir = 286,
    Pvr = 287,
    Tsr = 336,
    Tcr = 340,
    Mas0 = 624,
    Mas1 = 625,
    Mas2 = 626,
    Mas3 = 627,
    Mas4 = 628,
    Mas6 = 630,
    Mas7 = 944,
    Mcsrr0 = 570,
    Mcsrr1 = 571,
    Mcsr = 572,
    Epr = 702,
};

// One TLB entry's translation of `ea` for address space `as` and `pid`.
// TSIZE is the e500mc's 4-bit field: pages of 4^TSIZE KiB.
bool tlb_match(const vmm::TlbEntry& e, uint32_t ea, bool as, uint32_t pid, uint64_t& pa) {
    if (!(e.mas1 & kMas1Valid)) return false;
    uint32_t tid = (e.mas1 >> 16) & 0x3fff;
    if (tid != 0 && tid != pid) return false;
    if (((e.mas1 >> 12) & 1) != static_cast<uint32_t>(as)) return false;
    uint64_t size = 1024ull << (2 * ((e.mas1 >> 8) & 0xf));
    uint64_t epn = e.mas2 & ~(size - 1) & 0xffffffffull;
    if ((ea & ~(size - 1)) != epn) return false;
    pa = (e.mas7_3 & ~(size - 1) & 0xfffffffff000ull) | (ea & (size - 1));
    return true;
}

} // namespace

KvmDebug::KvmDebug(KvmApi& api, vmm::Vm& vm, const std::vector<std::unique_ptr<Vcpu>>& vcpus,
                   std::function<bool(unsigned)> online)
    : api_(api), vm_(vm), vcpus_(vcpus), online_(std::move(online)) {}

void KvmDebug::attach(debug::Debugger& debugger) {
    if (!debug_inst_ && !vcpus_.empty())
        api_.get_one_reg(vcpus_.front()->fd,
                         {uapi::reg::DEBUG_INST, reinterpret_cast<uintptr_t>(&debug_inst_)});
    debugger_ = &debugger;
}

void KvmDebug::detach() {
    restore_all_software();
    soft_.clear();
    hard_.clear();
    uapi::GuestDebug off{};
    for (const auto& v : vcpus_)
        api_.set_guest_debug(v->fd, off);
    debugger_ = nullptr;
    halt_requested_ = false;
}

bool KvmDebug::read_register(unsigned cpu, RegisterId reg, uint64_t& value) {
    if (cpu >= vcpus_.size()) return false;
    const int fd = vcpus_[cpu]->fd;
    uapi::Regs r{};
    api_.get_regs(fd, r);
    using K = RegisterId::Kind;
    switch (reg.kind) {
    case K::Gpr:
        value = static_cast<uint32_t>(r.gpr[reg.index % 32]);
        return reg.index < 32;
    case K::Pc:
        value = static_cast<uint32_t>(r.pc);
        return true;
    case K::Msr:
        value = static_cast<uint32_t>(r.msr);
        return true;
    case K::Cr:
        value = static_cast<uint32_t>(r.cr);
        return true;
    case K::Lr:
        value = static_cast<uint32_t>(r.lr);
        return true;
    case K::Ctr:
        value = static_cast<uint32_t>(r.ctr);
        return true;
    case K::Xer:
        value = static_cast<uint32_t>(r.xer);
        return true;
    case K::Fpr:
    case K::Fpscr:
        return false; // the FPU state has no Book E ONE_REG in 6.1's booke.c
    case K::Spr:
        break;
    }
    const unsigned n = reg.index;
    if (n >= Sprg0 && n <= Sprg7) {
        const uint64_t* sprg = &r.sprg0;
        value = static_cast<uint32_t>(sprg[n - Sprg0]);
        return true;
    }
    switch (n) {
    case Srr0:
        value = static_cast<uint32_t>(r.srr0);
        return true;
    case Srr1:
        value = static_cast<uint32_t>(r.srr1);
        return true;
    case Pid:
        value = static_cast<uint32_t>(r.pid);
        return true;
    default:
        break;
    }
    uapi::Sregs s{};
    api_.get_sregs(fd, s);
    const auto& e = s.u.e;
    switch (n) {
    case Pvr:
        value = s.pvr;
        return true;
    case Pir:
        value = e.pir;
        return true;
    case Csrr0:
        value = static_cast<uint32_t>(e.csrr0);
        return true;
    case Csrr1:
        value = e.csrr1;
        return true;
    case Mcsrr0:
        value = static_cast<uint32_t>(e.mcsrr0);
        return true;
    case Mcsrr1:
        value = e.mcsrr1;
        return true;
    case Mcsr:
        value = static_cast<uint32_t>(e.mcsr);
        return true;
    case Esr:
        value = e.esr;
        return true;
    case Dear:
        value = static_cast<uint32_t>(e.dear);
        return true;
    case Ivpr:
        value = static_cast<uint32_t>(e.ivpr);
        return true;
    case Tsr:
        value = e.tsr;
        return true;
    case Tcr:
        value = e.tcr;
        return true;
    case Dec:
        value = e.dec;
        return true;
    case Decar:
        value = e.decar;
        return true;
    case Tbl:
        value = static_cast<uint32_t>(e.tb);
        return true;
    case Tbu:
        value = static_cast<uint32_t>(e.tb >> 32);
        return true;
    case Usprg0:
        value = e.vrsave;
        return true;
    case Epr:
        value = e.epr;
        return true;
    case Mas0:
        value = e.mas0;
        return true;
    case Mas1:
        value = e.mas1;
        return true;
    case Mas2:
        value = static_cast<uint32_t>(e.mas2);
        return true;
    case Mas3:
        value = static_cast<uint32_t>(e.mas7_3);
        return true;
    case Mas7:
        value = static_cast<uint32_t>(e.mas7_3 >> 32);
        return true;
    case Mas4:
        value = e.mas4;
        return true;
    case Mas6:
        value = e.mas6;
        return true;
    default:
        return false;
    }
}

// The Book E SPRs outside KVM_SET_REGS: TCR and TSR through ONE_REG, the
// rest through a read-modify-write of the sregs (the fields of the feature
// sets the kernel reported; DEC only with KVM_SREGS_E_UPDATE_DEC).
bool KvmDebug::write_special(int fd, unsigned spr, uint32_t value) {
    if (spr == Tcr || spr == Tsr) {
        api_.set_one_reg(fd, {spr == Tcr ? uapi::reg::TCR : uapi::reg::TSR,
                              reinterpret_cast<uintptr_t>(&value)});
        return true;
    }
    uapi::Sregs s{};
    api_.get_sregs(fd, s);
    auto& e = s.u.e;
    e.update_special = 0;
    const bool base = e.features & uapi::sregs::E_BASE,
               arch206 = e.features & uapi::sregs::E_ARCH206,
               mmu = e.features & uapi::sregs::E_ARCH206_MMU;
    switch (spr) {
    case Csrr0:
        e.csrr0 = value;
        break;
    case Csrr1:
        e.csrr1 = value;
        break;
    case Esr:
        e.esr = value;
        break;
    case Dear:
        e.dear = value;
        break;
    case Usprg0:
        e.vrsave = value;
        break;
    case Dec:
        e.dec = value;
        e.update_special = uapi::sregs::E_UPDATE_DEC;
        break;
    case Mcsrr0:
        e.mcsrr0 = value;
        break;
    case Mcsrr1:
        e.mcsrr1 = value;
        break;
    case Ivpr:
        e.ivpr = value;
        break;
    case Decar:
        e.decar = value;
        break;
    case Mas0:
        e.mas0 = value;
        break;
    case Mas1:
        e.mas1 = value;
        break;
    case Mas2:
        e.mas2 = value;
        break;
    case Mas3:
        e.mas7_3 = (e.mas7_3 & ~0xffffffffull) | value;
        break;
    case Mas7:
        e.mas7_3 = (e.mas7_3 & 0xffffffffull) | (uint64_t{value} << 32);
        break;
    case Mas4:
        e.mas4 = value;
        break;
    case Mas6:
        e.mas6 = value;
        break;
    default:
        return false;
    }
    const bool needs_arch206 = spr == Mcsrr0 || spr == Mcsrr1 || spr == Ivpr || spr == Decar;
    const bool needs_mmu = spr >= Mas0 && spr <= Mas6 ? true : spr == Mas7;
    if (!base || (needs_arch206 && !arch206) || (needs_mmu && !mmu)) return false;
    api_.set_sregs(fd, s);
    return true;
}

// GPRs, pc, msr, cr, lr, ctr, xer, srr0/1, sprg0-7 and pid: KVM_SET_REGS.
bool KvmDebug::write_register(unsigned cpu, RegisterId reg, uint64_t value) {
    if (cpu >= vcpus_.size()) return false;
    const int fd = vcpus_[cpu]->fd;
    uapi::Regs r{};
    api_.get_regs(fd, r);
    const uint64_t v = static_cast<uint32_t>(value);
    using K = RegisterId::Kind;
    uint64_t* field = nullptr;
    switch (reg.kind) {
    case K::Gpr:
        field = reg.index < 32 ? &r.gpr[reg.index] : nullptr;
        break;
    case K::Pc:
        field = &r.pc;
        break;
    case K::Msr:
        field = &r.msr;
        break;
    case K::Cr:
        field = &r.cr;
        break;
    case K::Lr:
        field = &r.lr;
        break;
    case K::Ctr:
        field = &r.ctr;
        break;
    case K::Xer:
        field = &r.xer;
        break;
    case K::Fpr:
    case K::Fpscr:
        break;
    case K::Spr:
        if (reg.index >= Sprg0 && reg.index <= Sprg7)
            field = &r.sprg0 + (reg.index - Sprg0);
        else if (reg.index == Srr0)
            field = &r.srr0;
        else if (reg.index == Srr1)
            field = &r.srr1;
        else if (reg.index == Pid)
            field = &r.pid;
        else
            return write_special(fd, reg.index, static_cast<uint32_t>(value));
        break;
    }
    if (!field) return false;
    *field = reg.kind == K::Pc ? (v & ~3ull) : v;
    api_.set_regs(fd, r);
    return true;
}

// As the vCPU's data accesses translate (MSR[DS], PID), else as its fetches
// do (MSR[IS]); TLB1 first, as the hardware finds a TLB1 hit before TLB0.
bool KvmDebug::translate(unsigned cpu, uint64_t address, uint64_t& physical) {
    if (cpu >= vcpus_.size() || address > UINT32_MAX) return false;
    const Vcpu& v = *vcpus_[cpu];
    uapi::Regs r{};
    api_.get_regs(v.fd, r);
    const auto ea = static_cast<uint32_t>(address);
    const auto pid = static_cast<uint32_t>(r.pid);
    const auto& tlb = v.tlb();
    for (bool as : {bool(r.msr & kMsrDs), bool(r.msr & kMsrIs)}) {
        for (size_t n = v.tlb0_entries(); n < tlb.size(); ++n)
            if (tlb_match(tlb[n], ea, as, pid, physical)) return true;
        for (size_t n = 0; n < v.tlb0_entries(); ++n)
            if (tlb_match(tlb[n], ea, as, pid, physical)) return true;
    }
    return false;
}

// One translation per 4 KiB page (the smallest Book E page), not per byte:
// on a real host each one costs a KVM_GET_REGS.
bool KvmDebug::physical_of(unsigned cpu, uint64_t address, debug::AddressSpace space, uint64_t& pa,
                           PageCache& cache) {
    if (space == debug::AddressSpace::Physical) {
        pa = address;
        return true;
    }
    const uint64_t page = address & ~0xfffull;
    if (!cache.valid || cache.ea_page != page) {
        cache.valid = translate(cpu, page, cache.pa_page);
        cache.ea_page = page;
    }
    pa = cache.pa_page | (address & 0xfff);
    return cache.valid;
}

size_t KvmDebug::read_memory(unsigned cpu, uint64_t address, debug::AddressSpace space,
                             std::span<uint8_t> out) {
    PageCache cache;
    for (size_t n = 0; n < out.size(); ++n) {
        uint64_t pa = 0;
        if (!physical_of(cpu, address + n, space, pa, cache) || !vm_.ram.contains(pa, 1)) return n;
        out[n] = *vm_.ram.host(pa);
        // Where a software breakpoint sits, the guest's own instruction.
        for (const auto& [ea, b] : soft_)
            if (!soft_lifted_ && pa >= b.pa && pa < b.pa + 4)
                out[n] = static_cast<uint8_t>(b.original >> (8 * (3 - (pa - b.pa))));
    }
    return out.size();
}

size_t KvmDebug::write_memory(unsigned cpu, uint64_t address, debug::AddressSpace space,
                              std::span<const uint8_t> in) {
    PageCache cache;
    for (size_t n = 0; n < in.size(); ++n) {
        uint64_t pa = 0;
        if (!physical_of(cpu, address + n, space, pa, cache) || !vm_.ram.contains(pa, 1)) return n;
        *vm_.ram.host(pa) = in[n];
        __builtin___clear_cache(reinterpret_cast<char*>(vm_.ram.host(pa)),
                                reinterpret_cast<char*>(vm_.ram.host(pa)) + 1);
    }
    return in.size();
}

// The guest's instruction stream changed under it: on a real host the
// instruction cache must see the new word before the vCPU runs again.
void KvmDebug::write_code(uint64_t pa, uint32_t word) {
    vm_.ram.write_be(pa, word, 4);
    auto* at = reinterpret_cast<char*>(vm_.ram.host(pa));
    __builtin___clear_cache(at, at + 4);
}

void KvmDebug::restore_all_software() {
    if (soft_lifted_) return;
    for (const auto& [ea, b] : soft_)
        write_code(b.pa, b.original);
    soft_lifted_ = true;
}

bool KvmDebug::insert_breakpoint(BreakKind kind, uint64_t address, uint64_t length) {
    if (kind == BreakKind::Software) {
        if (soft_.count(address)) return true;
        uint64_t pa = 0;
        // Breakpoints hold for every vCPU; the boot vCPU's mapping places them.
        if ((address & 3) || !translate(0, address, pa) || !vm_.ram.contains(pa, 4)) return false;
        SoftBreak b{pa, static_cast<uint32_t>(vm_.ram.read_be(pa, 4).value_or(0))};
        soft_.emplace(address, b);
        if (!soft_lifted_) write_code(pa, debug_inst_);
        return true;
    }
    const bool instruction = kind == BreakKind::Hardware;
    const auto used =
        static_cast<unsigned>(std::count_if(hard_.begin(), hard_.end(), [&](const HardBreak& h) {
            return (h.kind == BreakKind::Hardware) == instruction;
        }));
    if (used >= (instruction ? uapi::kBookeIacs : uapi::kBookeDacs)) return false;
    if (!instruction && (length == 0 || length > 8)) return false; // one DAC compares one address
    hard_.push_back({kind, address, length});
    return true;
}

bool KvmDebug::remove_breakpoint(BreakKind kind, uint64_t address, uint64_t length) {
    if (kind == BreakKind::Software) {
        auto it = soft_.find(address);
        if (it == soft_.end()) return false;
        if (!soft_lifted_) write_code(it->second.pa, it->second.original);
        soft_.erase(it);
        return true;
    }
    auto it = std::find_if(hard_.begin(), hard_.end(), [&](const HardBreak& h) {
        return h.kind == kind && h.address == address &&
               (kind == BreakKind::Hardware || h.length == length);
    });
    if (it == hard_.end()) return false;
    hard_.erase(it);
    return true;
}

void KvmDebug::program(std::optional<unsigned> step_cpu) {
    if (step_cpu) {
        restore_all_software();
    } else if (soft_lifted_) {
        for (const auto& [ea, b] : soft_)
            write_code(b.pa, debug_inst_);
        soft_lifted_ = false;
    }
    uapi::GuestDebug armed{};
    armed.control = uapi::kGuestDbgEnable | uapi::kGuestDbgUseSwBp;
    if (!hard_.empty()) armed.control |= uapi::kGuestDbgUseHwBp;
    for (size_t n = 0; n < hard_.size(); ++n) {
        const HardBreak& h = hard_[n];
        uint32_t type = uapi::kDebugBreakpoint;
        if (h.kind == BreakKind::WatchWrite) type = uapi::kDebugWatchWrite;
        if (h.kind == BreakKind::WatchRead) type = uapi::kDebugWatchRead;
        if (h.kind == BreakKind::WatchAccess) type = uapi::kDebugWatchRead | uapi::kDebugWatchWrite;
        armed.bp[n] = {h.address, type, 0};
    }
    uapi::GuestDebug step{};
    step.control = uapi::kGuestDbgEnable | uapi::kGuestDbgSingleStep;
    for (size_t n = 0; n < vcpus_.size(); ++n)
        api_.set_guest_debug(vcpus_[n]->fd, step_cpu && *step_cpu == n ? step : armed);
}

debug::StopEvent KvmDebug::stop_event(unsigned cpu, const uapi::Run& run, bool stepping) const {
    using Why = debug::StopEvent::Why;
    const uint32_t status = run.debug.status;
    if (status & uapi::kDebugBreakpoint) return {Why::Breakpoint, cpu, BreakKind::Hardware, 0};
    if (status & (uapi::kDebugWatchWrite | uapi::kDebugWatchRead)) {
        BreakKind kind =
            status & uapi::kDebugWatchWrite ? BreakKind::WatchWrite : BreakKind::WatchRead;
        // The kernel reports the DAC's address; name the watchpoint gdb set there.
        for (const HardBreak& h : hard_)
            if (h.kind != BreakKind::Hardware && h.address == run.debug.address) kind = h.kind;
        return {Why::Watchpoint, cpu, kind, run.debug.address};
    }
    if (stepping) return {Why::Step, cpu, BreakKind::Software, 0};
    return {Why::Breakpoint, cpu, BreakKind::Software, 0};
}

void KvmDebug::collect_stats(debug::RunStats& stats) const {
    stats.engine = "kvm";
    stats.cpus.assign(vcpus_.size(), debug::CpuStats{});
}

} // namespace vmc::kvm
