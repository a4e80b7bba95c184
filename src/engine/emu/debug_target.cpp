#include "engine/emu/debug_target.hpp"

#include <algorithm>

#include "engine/emu/emu_machine.hpp"

namespace vmc::emu {

namespace {

using debug::BreakKind;
using debug::RegisterId;

// The SPRs of the target description (debug/registers.cpp), as plain
// fields: the address-sized ones (64 bits wide) and the others.
uint64_t* spr_field64(Core& c, unsigned n) {
    Sprs& s = c.s;
    if (n >= spr::SPRG0 && n <= spr::SPRG7) return &s.sprg[n - spr::SPRG0];
    switch (n) {
    case spr::SRR0:
        return &s.srr0;
    case spr::CSRR0:
        return &s.csrr0;
    case spr::MCSRR0:
        return &s.mcsrr0;
    case spr::DSRR0:
        return &s.dsrr0;
    case spr::DEAR:
        return &s.dear;
    case spr::MCAR:
        return &s.mcar;
    case spr::IVPR:
        return &s.ivpr;
    case spr::USPRG0:
        return &s.usprg0;
    case spr::MAS2:
        return &c.mas.mas2;
    default:
        return nullptr;
    }
}

uint32_t* spr_field32(Core& c, unsigned n) {
    Sprs& s = c.s;
    switch (n) {
    case spr::SRR1:
        return &s.srr1;
    case spr::CSRR1:
        return &s.csrr1;
    case spr::MCSRR1:
        return &s.mcsrr1;
    case spr::DSRR1:
        return &s.dsrr1;
    case spr::ESR:
        return &s.esr;
    case spr::MCSR:
        return &s.mcsr;
    case spr::DECAR:
        return &s.decar;
    case spr::TCR:
        return &s.tcr;
    case spr::TSR:
        return &s.tsr;
    case spr::PIR:
        return &s.pir;
    case spr::PVR:
        return &s.pvr;
    case spr::SVR:
        return &s.svr;
    case spr::EPR:
        return &s.epr;
    case spr::EPCR:
        return &s.epcr;
    case spr::MAS0:
        return &c.mas.mas0;
    case spr::MAS1:
        return &c.mas.mas1;
    case spr::MAS3:
        return &c.mas.mas3;
    case spr::MAS4:
        return &c.mas.mas4;
    case spr::MAS6:
        return &c.mas.mas6;
    case spr::MAS7:
        return &c.mas.mas7;
    case spr::DBCR0:
        return &s.dbcr0;
    case spr::DBSR:
        return &s.dbsr;
    case spr::HID0:
        return &s.hid0;
    case spr::L1CSR0:
        return &s.l1csr0;
    default:
        return nullptr;
    }
}

bool read_spr(Core& c, unsigned n, uint64_t& value) {
    switch (n) {
    case spr::PID:
        value = c.s.pid;
        return true;
    case spr::DEC:
        c.update_timers();
        value = c.dec();
        return true;
    case spr::TBL_R:
        value = static_cast<uint32_t>(c.timebase());
        return true;
    case spr::TBU_R:
        value = static_cast<uint32_t>(c.timebase() >> 32);
        return true;
    default:
        break;
    }
    if (uint64_t* field = spr_field64(c, n)) {
        value = *field;
        return true;
    }
    uint32_t* field = spr_field32(c, n);
    if (!field) return false;
    value = *field;
    return true;
}

bool write_spr(Core& c, unsigned n, uint64_t value) {
    const auto v32 = static_cast<uint32_t>(value);
    switch (n) {
    case spr::PID:
        c.set_pid(v32);
        return true;
    case spr::DEC:
        c.set_dec(v32);
        return true;
    case spr::TBL_R:
        c.set_timebase((c.timebase() & ~0xffffffffull) | v32);
        return true;
    case spr::TBU_R:
        c.set_timebase((c.timebase() & 0xffffffffull) | (uint64_t{v32} << 32));
        return true;
    case spr::PVR:
    case spr::SVR:
    case spr::PIR:
        return false; // read-only identity
    default:
        break;
    }
    if (uint64_t* field = spr_field64(c, n)) {
        *field = value & c.gpr_mask;
        return true;
    }
    uint32_t* field = spr_field32(c, n);
    if (!field) return false;
    *field = v32;
    return true;
}

const char* interrupt_name(unsigned ivor) {
    switch (static_cast<Ivor>(ivor)) {
    case Ivor::CriticalInput:
        return "critical-input";
    case Ivor::MachineCheck:
        return "machine-check";
    case Ivor::DataStorage:
        return "data-storage";
    case Ivor::InstStorage:
        return "instruction-storage";
    case Ivor::External:
        return "external";
    case Ivor::Alignment:
        return "alignment";
    case Ivor::Program:
        return "program";
    case Ivor::FpUnavailable:
        return "fp-unavailable";
    case Ivor::SystemCall:
        return "system-call";
    case Ivor::ApUnavailable:
        return "ap-unavailable";
    case Ivor::Decrementer:
        return "decrementer";
    case Ivor::FixedInterval:
        return "fixed-interval";
    case Ivor::Watchdog:
        return "watchdog";
    case Ivor::DataTlbError:
        return "data-tlb-error";
    case Ivor::InstTlbError:
        return "instruction-tlb-error";
    case Ivor::Debug:
        return "debug";
    case Ivor::PerfMonitor:
        return "performance-monitor";
    case Ivor::Doorbell:
        return "doorbell";
    case Ivor::DoorbellCritical:
        return "doorbell-critical";
    case Ivor::GuestDoorbell:
        return "guest-doorbell";
    case Ivor::GuestDoorbellCritical:
        return "guest-doorbell-critical";
    case Ivor::Hypercall:
        return "hypercall";
    case Ivor::HvPrivilege:
        return "hypervisor-privilege";
    }
    return nullptr;
}

} // namespace

EmuDebug::EmuDebug(EmuMachine& machine, bool& active) : machine_(machine), active_(active) {}

void EmuDebug::attach(debug::Debugger& debugger) {
    debugger_ = &debugger;
    for (unsigned n = 0; n < machine_.core_count(); ++n)
        machine_.core(n).debug = &hooks_;
    active_ = true;
}

void EmuDebug::detach() {
    bool had_watches = !hooks_.watches.empty();
    hooks_ = DebugHooks{};
    for (unsigned n = 0; n < machine_.core_count(); ++n) {
        Core& c = machine_.core(n);
        c.debug = nullptr;
        if (had_watches) c.invalidate_soft_tlb();
    }
    debugger_ = nullptr;
    halt_requested_ = false;
    step_cpu_ = -1;
    active_ = false;
}

bool EmuDebug::read_tlb(unsigned cpu, std::vector<vmm::TlbEntry>& tlb0,
                        std::vector<vmm::TlbEntry>& tlb1) {
    if (cpu >= machine_.core_count()) return false;
    const Core& c = machine_.core(cpu);
    tlb0 = c.mmu.tlb0();
    tlb1 = c.mmu.tlb1();
    return true;
}

unsigned EmuDebug::cpu_count() const {
    return machine_.core_count();
}

bool EmuDebug::cpu_online(unsigned cpu) const {
    return cpu < machine_.core_count() && machine_.core(cpu).running;
}

bool EmuDebug::read_register(unsigned cpu, RegisterId reg, uint64_t& value) {
    if (cpu >= machine_.core_count()) return false;
    Core& c = machine_.core(cpu);
    using K = RegisterId::Kind;
    switch (reg.kind) {
    case K::Gpr:
        if (reg.index >= 32) return false;
        value = c.gpr[reg.index];
        return true;
    case K::Fpr:
        if (reg.index >= 32) return false;
        value = c.fp.fpr[reg.index];
        return true;
    case K::Pc:
        value = c.pc;
        return true;
    case K::Msr:
        value = c.msr;
        return true;
    case K::Cr:
        value = c.cr;
        return true;
    case K::Lr:
        value = c.lr;
        return true;
    case K::Ctr:
        value = c.ctr;
        return true;
    case K::Xer:
        value = c.xer;
        return true;
    case K::Fpscr:
        value = c.fp.fpscr;
        return true;
    case K::Spr:
        return read_spr(c, reg.index, value);
    }
    return false;
}

bool EmuDebug::write_register(unsigned cpu, RegisterId reg, uint64_t value) {
    if (cpu >= machine_.core_count()) return false;
    Core& c = machine_.core(cpu);
    auto v32 = static_cast<uint32_t>(value);
    using K = RegisterId::Kind;
    switch (reg.kind) {
    case K::Gpr:
        if (reg.index >= 32) return false;
        c.set_gpr(reg.index, value);
        return true;
    case K::Fpr:
        if (reg.index >= 32) return false;
        c.fp.fpr[reg.index] = value;
        return true;
    case K::Pc:
        c.pc = value & ~uint64_t{3} & c.gpr_mask;
        return true;
    case K::Msr:
        c.set_msr(v32);
        c.flow = false; // set_msr ends the current block; there is none while stopped
        return true;
    case K::Cr:
        c.cr = v32;
        return true;
    case K::Lr:
        c.lr = value & c.gpr_mask;
        return true;
    case K::Ctr:
        c.ctr = value & c.gpr_mask;
        return true;
    case K::Xer:
        c.xer = v32;
        return true;
    case K::Fpscr:
        c.fp.fpscr = v32;
        return true;
    case K::Spr: {
        bool ok = write_spr(c, reg.index, value);
        c.flow = false;
        return ok;
    }
    }
    return false;
}

bool EmuDebug::translate(unsigned cpu, uint64_t address, uint64_t& physical) {
    if (cpu >= machine_.core_count()) return false;
    Core& c = machine_.core(cpu);
    if (address > c.gpr_mask) return false; // beyond a 32-bit core's addresses
    const uint64_t ea = address;
    bool pr = c.msr & msr::PR;
    // As the core's loads see it; failing that, as its fetches do (code addresses).
    for (bool as : {bool(c.msr & msr::DS), bool(c.msr & msr::IS)}) {
        Translation t = c.mmu.translate(ea, Access::Read, as, pr, c.s.pid);
        if (t.fault == Translation::Fault::None) {
            physical = t.pa;
            return true;
        }
    }
    return false;
}

bool EmuDebug::physical_of(unsigned cpu, uint64_t address, debug::AddressSpace space,
                           uint64_t& pa) {
    if (space == debug::AddressSpace::Physical) {
        pa = address;
        return true;
    }
    return translate(cpu, address, pa);
}

size_t EmuDebug::read_memory(unsigned cpu, uint64_t address, debug::AddressSpace space,
                             std::span<uint8_t> out) {
    vmm::GuestRam& ram = machine_.vm().ram;
    for (size_t n = 0; n < out.size(); ++n) {
        uint64_t pa = 0;
        if (!physical_of(cpu, address + n, space, pa) || !ram.contains(pa, 1)) return n;
        out[n] = *ram.host(pa);
    }
    return out.size();
}

size_t EmuDebug::write_memory(unsigned cpu, uint64_t address, debug::AddressSpace space,
                              std::span<const uint8_t> in) {
    vmm::GuestRam& ram = machine_.vm().ram;
    for (size_t n = 0; n < in.size(); ++n) {
        uint64_t pa = 0;
        // GuestRam::write tells the code cache, so patched code is decoded again.
        if (!physical_of(cpu, address + n, space, pa) || !ram.write(pa, in.subspan(n, 1))) return n;
    }
    return in.size();
}

bool EmuDebug::insert_breakpoint(BreakKind kind, uint64_t address, uint64_t length) {
    // A 32-bit machine has no addresses above 4 GiB.
    if (machine_.core_count() && address > machine_.core(0).gpr_mask) return false;
    const uint64_t ea = address;
    if (kind == BreakKind::Software || kind == BreakKind::Hardware) {
        DebugHooks::Breakpoint b{ea, kind};
        auto& list = hooks_.breakpoints;
        if (std::find(list.begin(), list.end(), b) == list.end()) list.push_back(b);
        return true;
    }
    if (length == 0 || length > 0x1000) return false;
    hooks_.watches.push_back({ea, length, kind});
    // Accesses through the soft TLB skip the checks: make every core translate again.
    for (unsigned n = 0; n < machine_.core_count(); ++n)
        machine_.core(n).invalidate_soft_tlb();
    return true;
}

bool EmuDebug::remove_breakpoint(BreakKind kind, uint64_t address, uint64_t length) {
    const uint64_t ea = address;
    if (kind == BreakKind::Software || kind == BreakKind::Hardware) {
        auto& list = hooks_.breakpoints;
        auto it = std::find(list.begin(), list.end(), DebugHooks::Breakpoint{ea, kind});
        if (it == list.end()) return false;
        hooks_.breakpoints.erase(it);
        return true;
    }
    auto it = std::find_if(hooks_.watches.begin(), hooks_.watches.end(), [&](const auto& w) {
        return w.ea == ea && w.length == length && w.kind == kind;
    });
    if (it == hooks_.watches.end()) return false;
    hooks_.watches.erase(it);
    return true;
}

void EmuDebug::collect_stats(debug::RunStats& stats) const {
    stats.engine = "emu";
    stats.cpus.clear();
    for (unsigned n = 0; n < machine_.core_count(); ++n) {
        const Core& c = machine_.core(n);
        debug::CpuStats cpu;
        cpu.instructions = c.instructions;
        cpu.data_fast = c.stats.data_fast;
        cpu.data_slow = c.stats.data_slow;
        cpu.fetch_fast = c.stats.fetch_fast;
        cpu.fetch_slow = c.stats.fetch_slow;
        cpu.translated = c.stats.translated;
        for (unsigned v = 0; v < c.stats.interrupts.size(); ++v) {
            const char* name = interrupt_name(v);
            if (name && c.stats.interrupts[v])
                cpu.interrupts.emplace_back(name, c.stats.interrupts[v]);
        }
        stats.cpus.push_back(std::move(cpu));
    }
    stats.code_lookups = machine_.code_stats().lookups;
    stats.code_decodes = machine_.code_stats().decodes;
    stats.jit_blocks = machine_.jit_stats().blocks;
    stats.jit_code_bytes = machine_.jit_stats().code_bytes;
    stats.jit_flushes = machine_.jit_stats().flushes;
    stats.idle_ns = machine_.idle_ns();
}

// ---------------------------------------------------------------- run control

uint64_t EmuDebug::budget(unsigned cpu, uint64_t quantum) {
    if (step_cpu_ < 0) return quantum;
    if (static_cast<int>(cpu) != step_cpu_ || stepped_) return 0;
    stepped_ = true;
    return 1;
}

void EmuDebug::service() {
    if (step_cpu_ >= 0) {
        const Core& c = machine_.core(static_cast<unsigned>(step_cpu_));
        // A core asleep in `wait` (or held) cannot step: report it where it is.
        if (stepped_ || c.waiting || !c.running) {
            if (!hooks_.stop)
                hooks_.event = {debug::StopEvent::Why::Step, static_cast<unsigned>(step_cpu_),
                                BreakKind::Software, 0};
            hooks_.stop = true;
            step_cpu_ = -1;
        }
    }
    if (halt_requested_) {
        halt_requested_ = false;
        if (!hooks_.stop) {
            unsigned cpu = 0;
            while (cpu + 1 < machine_.core_count() && !machine_.core(cpu).running)
                ++cpu;
            hooks_.event = {debug::StopEvent::Why::Halted, cpu, BreakKind::Software, 0};
            hooks_.stop = true;
        }
    }
    if (!hooks_.stop || !debugger_) return;
    hooks_.stop = false;
    halt_requested_ = false; // this stop answers any Ctrl-C so far
    debug::StopEvent event = hooks_.event;
    debug::Resume how = debugger_->stopped(*this, event);
    if (!debugger_) return; // detached while stopped: run freely
    resume(how, event.cpu);
}

void EmuDebug::resume(const debug::Resume& how, unsigned stopped_cpu) {
    // The instruction the machine stopped at runs once even if it is a
    // breakpoint or touches a watched address (the debugger asked to go on).
    if (stopped_cpu < machine_.core_count()) {
        hooks_.skip_cpu = static_cast<int>(stopped_cpu);
        hooks_.skip_pc = machine_.core(stopped_cpu).pc;
        hooks_.skip_used = false;
    }
    if (how.how == debug::Resume::How::Step && how.cpu < machine_.core_count()) {
        step_cpu_ = static_cast<int>(how.cpu);
        stepped_ = false;
        hooks_.skip_cpu = static_cast<int>(how.cpu);
        hooks_.skip_pc = machine_.core(how.cpu).pc;
        hooks_.skip_used = false;
    }
}

} // namespace vmc::emu
