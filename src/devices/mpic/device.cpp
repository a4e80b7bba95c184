// fsl-mpic: runtime device. Register map (offsets from the MPIC base):
//   0x00000 BRR1                 block revision (Freescale)
//   0x00040-0x000b0              the accessing CPU's private registers
//   0x01000 FRR, 0x01020 GCR, 0x01080 VIR, 0x01090 PIR
//   0x010a0-0x010d0 IPI vector/priority, 0x010e0 spurious vector
//   0x010f0 TFRR, 0x01100 + 0x40*n global timer n (GTCCR, GTBCR, GTVPR, GTDR)
//   0x10000 + 0x20*n source n (vector/priority at +0x0, destination at +0x10,
//           on MPIC 4.2 the interrupt level register at +0x18)
//   0x20000 + 0x1000*cpu private registers: IPI dispatch 0x40-0x70, task
//           priority 0x80, WHOAMI 0x90, IACK 0xa0, EOI 0xb0
#include "devices/mpic/mpic.hpp"

#include <algorithm>

#include "devices/mpic/kind.hpp"
#include "vmm/vm.hpp"

namespace vmc::devices::mpic {

namespace {
constexpr uint32_t kVprMask = 0x80000000;
constexpr uint32_t kVprActivity = 0x40000000;
constexpr uint32_t kVprSenseLevel = 0x00400000;
constexpr uint32_t kVprWritable = 0x80ff0000 | 0xffff; // mask, polarity, sense, priority, vector
constexpr uint32_t kVprPolarity = 0x00800000;
constexpr unsigned kExternalSources = 16; // pins; sources from 16 on are internal
constexpr uint32_t kGcrReset = 0x80000000;
constexpr uint32_t kGcrCoreInt = 0x60000000;
constexpr uint32_t kTimerInhibit = 0x80000000;
constexpr uint32_t kTimerToggle = 0x80000000;
constexpr uint32_t kVendorId = 0x00000000; // VIR: Freescale parts report 0

bool in_range(uint64_t off, uint64_t base, uint64_t size) {
    return off >= base && off < base + size;
}
} // namespace

Mpic::Mpic(std::string name, const Config& config, vmm::Vm& vm)
    : vmm::Device(std::move(name)), config_(config), version_42_(config.version == "4.2"), vm_(vm),
      sources_count_(std::clamp<uint32_t>(config.sources, 16, 2048)),
      timer_count_(std::min<uint32_t>(config.timers, kTimers)),
      cpus_(std::max<unsigned>(1, static_cast<unsigned>(vm.cpu_inputs.size()))),
      timer_frequency_(static_cast<uint32_t>(vm.machine.cpu.timebase_frequency / 8)) {
    sources_.resize(sources_count_ + kIpis + kTimers);
    cpu_.resize(cpus_);
    reset();
}

Mpic::~Mpic() {
    for (auto& t : timers_)
        if (t.event) vm_.timers.cancel(t.event);
}

void Mpic::reset() {
    for (unsigned i = 0; i < sources_.size(); ++i) {
        Source& s = sources_[i];
        bool line = s.line;
        s = Source{};
        s.vpr = kVprMask | (i >= kExternalSources && i < sources_count_ ? kVprPolarity : 0);
        s.dest = 1;
        s.line = line;
    }
    for (auto& c : cpu_)
        c = Cpu{};
    for (unsigned n = 0; n < kTimers; ++n) {
        if (timers_[n].event) vm_.timers.cancel(timers_[n].event);
        timers_[n] = Timer{};
    }
    gcr_ = 0;
    spurious_ = 0xffff;
    processor_init_ = 0;
    // Internal sources are level: a device still asserting stays pending. Pins
    // reset to edge sense and wait for their next rising edge.
    for (unsigned i = kExternalSources; i < sources_count_; ++i)
        sources_[i].pending = sources_[i].line;
    update_outputs();
}

// ---- arbitration ---------------------------------------------------------

// FSL MPIC 2.0 destination register: bit i names CPU i for the normal
// output, bit (30 - i) names CPU i for the critical output. A source routed
// to the critical output skips priority, IACK and EOI, and ignores the mask.
uint32_t Mpic::critical_cpus(const Source& s) const {
    if (version_42()) return 0; // 4.x: every destination bit is a CPU; ILR picks the output
    uint32_t cpus = 0;
    for (unsigned cpu = 0; cpu < cpus_ && cpu < 15; ++cpu)
        if (s.dest & (1u << (30 - cpu))) cpus |= 1u << cpu;
    return cpus;
}

// The output a source drives: MPIC 2.0 has the CI bits above, 4.x the
// per-source ILR (0 normal, 1 critical, 2 machine check).
Mpic::Output Mpic::output_of(const Source& s) const {
    if (version_42())
        return s.ilr == 1 ? Output::Critical : s.ilr == 2 ? Output::MachineCheck : Output::Normal;
    return critical_cpus(s) ? Output::Critical : Output::Normal;
}

// CPUs a critical or machine-check source asserts on while pending. Those
// skip priority, IACK and EOI; on MPIC 2.0 they also ignore the mask bit.
uint32_t Mpic::direct_output_cpus(const Source& s) const {
    if (!s.pending) return 0;
    if (version_42()) return (s.vpr & kVprMask) ? 0 : s.dest & cpu_mask();
    return critical_cpus(s);
}

// External pins follow their sense bit; internal sources are level; IPIs
// and timers are edge events.
bool Mpic::level_triggered(unsigned index) const {
    if (index < kExternalSources) return sources_[index].vpr & kVprSenseLevel;
    return index < sources_count_;
}

bool Mpic::is_pending_for(unsigned index, unsigned cpu) const {
    const Source& s = sources_[index];
    // Pending first: arbitration asks this of every source, and few are.
    const bool ipi = index >= sources_count_ && index < sources_count_ + kIpis;
    if (ipi ? !(s.ipi_pending_cpus & (1u << cpu)) : !s.pending) return false;
    if (s.vpr & kVprMask) return false;
    if (output_of(s) != Output::Normal) return false;
    if (ipi) return true;
    // Directed delivery: the lowest CPU named in the destination register takes it.
    uint32_t dest = s.dest & cpu_mask();
    if (!dest) return false;
    return static_cast<unsigned>(__builtin_ctz(dest)) == cpu;
}

int Mpic::highest_pending(unsigned cpu) const {
    int best = -1;
    uint32_t best_priority = 0;
    for (unsigned i = 0; i < sources_.size(); ++i) {
        if (!is_pending_for(i, cpu)) continue;
        if (std::find(cpu_[cpu].in_service.begin(), cpu_[cpu].in_service.end(), i) !=
            cpu_[cpu].in_service.end())
            continue;
        uint32_t p = priority(sources_[i]);
        if (best < 0 || p > best_priority) {
            best = static_cast<int>(i);
            best_priority = p;
        }
    }
    return best;
}

int Mpic::in_service_priority(unsigned cpu) const {
    int p = -1;
    for (unsigned i : cpu_[cpu].in_service)
        p = std::max(p, static_cast<int>(priority(sources_[i])));
    return p;
}

void Mpic::update_outputs() {
    for (unsigned cpu = 0; cpu < cpus_; ++cpu) {
        bool external = false, critical = false, machine_check = false;
        // Sources routed to the critical or machine-check output bypass priority arbitration.
        for (const Source& s : sources_) {
            if (!(direct_output_cpus(s) & (1u << cpu))) continue;
            (output_of(s) == Output::Critical ? critical : machine_check) = true;
        }
        int best = highest_pending(cpu);
        if (best >= 0) {
            int p = static_cast<int>(priority(sources_[best]));
            external =
                p > static_cast<int>(cpu_[cpu].task_priority) && p > in_service_priority(cpu);
        }
        vm_.cpu_inputs[cpu]->external.store(external);
        vm_.cpu_inputs[cpu]->critical.store(critical);
        vm_.cpu_inputs[cpu]->machine_check.store(machine_check);
    }
}

uint32_t Mpic::iack(unsigned cpu) {
    int best = highest_pending(cpu);
    if (best < 0) return spurious_ & 0xffff;
    Source& s = sources_[best];
    int p = static_cast<int>(priority(s));
    if (p <= static_cast<int>(cpu_[cpu].task_priority) || p <= in_service_priority(cpu)) {
        update_outputs();
        return spurious_ & 0xffff;
    }
    if (static_cast<unsigned>(best) >= sources_count_ &&
        static_cast<unsigned>(best) < sources_count_ + kIpis)
        s.ipi_pending_cpus &= ~(1u << cpu);
    else if (!level_triggered(static_cast<unsigned>(best)))
        s.pending = false; // edge: taken
    cpu_[cpu].in_service.push_back(static_cast<unsigned>(best));
    update_outputs();
    return s.vpr & 0xffff;
}

void Mpic::eoi(unsigned cpu) {
    auto& stack = cpu_[cpu].in_service;
    if (stack.empty()) return;
    // End the highest-priority interrupt in service (the one the CPU is handling).
    auto it = std::max_element(stack.begin(), stack.end(), [&](unsigned a, unsigned b) {
        return priority(sources_[a]) < priority(sources_[b]);
    });
    stack.erase(it);
    update_outputs();
}

uint32_t Mpic::acknowledge(unsigned cpu) {
    // Only in core-interrupt mode does taking the interrupt acknowledge it;
    // otherwise the guest reads IACK itself.
    if ((gcr_ & kGcrCoreInt) != kGcrCoreInt || cpu >= cpus_) return 0;
    return iack(cpu);
}

void Mpic::set_irq(uint32_t source, bool level) {
    if (source >= sources_count_) return;
    Source& s = sources_[source];
    bool rising = level && !s.line;
    s.line = level;
    if (level_triggered(source))
        s.pending = level;
    else if (rising)
        s.pending = true;
    update_outputs();
}

// ---- timers -------------------------------------------------------------

uint64_t Mpic::timer_period_ns(unsigned n) const {
    uint64_t count = timers_[n].base & ~kTimerInhibit;
    if (count == 0 || timer_frequency_ == 0) return 0;
    return count * 1'000'000'000ull / timer_frequency_;
}

void Mpic::schedule_timer(unsigned n) {
    Timer& t = timers_[n];
    if (t.event) vm_.timers.cancel(t.event);
    t.event = 0;
    uint64_t period = timer_period_ns(n);
    if ((t.base & kTimerInhibit) || period == 0) return;
    t.event = vm_.timers.schedule(t.start_ns + period, [this, n, period] {
        Timer& timer = timers_[n];
        timer.event = 0;
        // Every period that ended since the last call is one edge on the
        // source: a guest-chosen period of a few nanoseconds, or a run loop
        // that fell behind, costs one callback, not one per period missed.
        uint64_t now = std::max(vm_.clock.now_ns(), timer.start_ns + period);
        uint64_t periods = (now - timer.start_ns) / period;
        timer.start_ns += periods * period;
        if (periods & 1) timer.toggle = !timer.toggle;
        sources_[timer_index(n)].pending = true; // timers are edge sources
        update_outputs();
        schedule_timer(n);
    });
}

// GTCCR: the count runs down from the base count; the toggle bit (31)
// flips each time it reaches zero and reloads. Inhibited, it holds.
uint32_t Mpic::current_count(unsigned n) const {
    const Timer& t = timers_[n];
    if (t.base & kTimerInhibit) return t.held;
    uint32_t base = t.base & ~kTimerInhibit;
    if (base == 0 || timer_frequency_ == 0) return t.toggle ? kTimerToggle : 0;
    uint64_t ticks = (vm_.clock.now_ns() - t.start_ns) * timer_frequency_ / 1'000'000'000ull;
    bool toggle = t.toggle ^ ((ticks / base) & 1); // reloads the run loop has not seen yet
    return (base - static_cast<uint32_t>(ticks % base)) | (toggle ? kTimerToggle : 0);
}

uint32_t Mpic::read_timer(unsigned n, uint64_t reg) {
    Timer& t = timers_[n];
    Source& s = sources_[timer_index(n)];
    switch (reg) {
    case 0x00:
        return current_count(n); // GTCCR
    case 0x10:
        return t.base;
    case 0x20:
        return s.vpr | (s.pending ? kVprActivity : 0);
    case 0x30:
        return s.dest;
    default:
        return 0;
    }
}

void Mpic::write_timer(unsigned n, uint64_t reg, uint32_t value) {
    Timer& t = timers_[n];
    switch (reg) {
    case 0x10: { // GTBCR
        bool was_inhibited = t.base & kTimerInhibit, inhibit = value & kTimerInhibit;
        if (!was_inhibited && inhibit) {
            t.held = current_count(n); // counting stops where it is
        } else if (was_inhibited && !inhibit) {
            t.held = 0; // counting starts from the base count, toggle cleared
            t.start_ns = vm_.clock.now_ns();
            t.toggle = false;
        } else if (!inhibit && (t.base & ~kTimerInhibit) != (value & ~kTimerInhibit)) {
            t.start_ns = vm_.clock.now_ns(); // a new period while counting: start it now
        }
        t.base = value;
        schedule_timer(n);
        break;
    }
    case 0x20:
        write_vpr(timer_index(n), value);
        break;
    case 0x30:
        sources_[timer_index(n)].dest = value;
        update_outputs();
        break;
    default:
        break;
    }
}

// ---- registers ----------------------------------------------------------

void Mpic::write_vpr(unsigned index, uint32_t value) {
    Source& s = sources_[index];
    s.vpr = value & kVprWritable;
    if (index >= sources_count_)
        s.vpr &= ~(kVprSenseLevel | kVprPolarity); // IPIs and timers have neither
    else if (index >= kExternalSources)
        s.vpr &= ~kVprSenseLevel; // internal sources: always level, the bit reads 0
    if (index < sources_count_ && level_triggered(index)) s.pending = s.line;
    update_outputs();
}

uint32_t Mpic::read_cpu_reg(unsigned cpu, uint64_t reg) {
    switch (reg) {
    case 0x80:
        return cpu_[cpu].task_priority;
    case 0x90:
        return cpu;
    case 0xa0:
        return iack(cpu);
    default:
        return 0;
    }
}

void Mpic::write_cpu_reg(unsigned cpu, uint64_t reg, uint32_t value) {
    switch (reg) {
    case 0x40:
    case 0x50:
    case 0x60:
    case 0x70: {
        unsigned ipi = static_cast<unsigned>((reg - 0x40) / 0x10);
        sources_[ipi_index(ipi)].ipi_pending_cpus |= value & cpu_mask();
        update_outputs();
        break;
    }
    case 0x80:
        cpu_[cpu].task_priority = value & 0xf;
        update_outputs();
        break;
    case 0xb0:
        eoi(cpu);
        break;
    default:
        break;
    }
}

uint64_t Mpic::mmio_read(uint64_t offset, unsigned size) {
    if (size != 4 || (offset & 3)) return 0;
    unsigned cpu = std::min(vm_.current_cpu, cpus_ - 1);
    // BRR1: block revision 4.2, which is what QEMU's ppce500 MPIC reports for
    // both of its models. Linux keeps core-interrupt delivery (vector from
    // EPR) only from revision 4.0 on; below it, it reads IACK itself.
    if (offset == 0x0) return 0x00400402;
    if (in_range(offset, 0x40, 0x80)) return read_cpu_reg(cpu, offset);
    switch (offset) {
    case 0x1000: // FRR: last source, last CPU, version 1.2 register layout
        return ((sources_count_ - 1) << 16) | ((cpus_ - 1) << 8) | 0x02;
    case 0x1020:
        return gcr_;
    case 0x1080:
        return kVendorId;
    case 0x1090:
        return processor_init_;
    case 0x10e0:
        return spurious_;
    case 0x10f0:
        return timer_frequency_;
    default:
        break;
    }
    if (in_range(offset, 0x10a0, 0x40)) {
        const Source& s = sources_[ipi_index(static_cast<unsigned>((offset - 0x10a0) / 0x10))];
        return s.vpr | (s.ipi_pending_cpus ? kVprActivity : 0);
    }
    if (in_range(offset, 0x1100, 0x40 * timer_count_))
        return read_timer(static_cast<unsigned>((offset - 0x1100) / 0x40),
                          (offset - 0x1100) % 0x40);
    if (in_range(offset, 0x10000, 0x20ull * sources_count_)) {
        const Source& s = sources_[(offset - 0x10000) / 0x20];
        switch ((offset - 0x10000) % 0x20) {
        case 0x00: {
            bool active = s.pending;
            for (const auto& c : cpu_)
                for (unsigned i : c.in_service)
                    active |= &sources_[i] == &s;
            return s.vpr | (active ? kVprActivity : 0);
        }
        case 0x10:
            return s.dest;
        case 0x18:
            return version_42() ? s.ilr : 0;
        default:
            return 0;
        }
    }
    if (in_range(offset, 0x20000, 0x1000ull * cpus_))
        return read_cpu_reg(static_cast<unsigned>((offset - 0x20000) / 0x1000),
                            (offset - 0x20000) % 0x1000);
    return 0;
}

void Mpic::mmio_write(uint64_t offset, uint64_t value, unsigned size) {
    if (size != 4 || (offset & 3)) return;
    uint32_t v = static_cast<uint32_t>(value);
    unsigned cpu = std::min(vm_.current_cpu, cpus_ - 1);
    if (in_range(offset, 0x40, 0x80)) return write_cpu_reg(cpu, offset, v);
    switch (offset) {
    case 0x1020:
        if (v & kGcrReset) {
            reset();
            v &= ~kGcrReset; // self-clearing
        }
        gcr_ = v;
        return;
    case 0x1090:
        processor_init_ = v;
        return;
    case 0x10e0:
        spurious_ = v & 0xffff;
        return;
    default:
        break;
    }
    if (in_range(offset, 0x10a0, 0x40)) {
        if ((offset - 0x10a0) % 0x10 == 0)
            write_vpr(ipi_index(static_cast<unsigned>((offset - 0x10a0) / 0x10)), v);
        return;
    }
    if (in_range(offset, 0x1100, 0x40 * timer_count_))
        return write_timer(static_cast<unsigned>((offset - 0x1100) / 0x40),
                           (offset - 0x1100) % 0x40, v);
    if (in_range(offset, 0x10000, 0x20ull * sources_count_)) {
        unsigned index = static_cast<unsigned>((offset - 0x10000) / 0x20);
        switch ((offset - 0x10000) % 0x20) {
        case 0x00:
            write_vpr(index, v);
            break;
        case 0x10:
            sources_[index].dest = v;
            update_outputs();
            break;
        case 0x18:
            if (version_42()) {
                sources_[index].ilr = v & 0xff;
                update_outputs();
            }
            break;
        default:
            break;
        }
        return;
    }
    if (in_range(offset, 0x20000, 0x1000ull * cpus_))
        write_cpu_reg(static_cast<unsigned>((offset - 0x20000) / 0x1000),
                      (offset - 0x20000) % 0x1000, v);
}

std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm) {
    return std::make_unique<Mpic>(device.name, config_of<Config>(device), vm);
}

} // namespace vmc::devices::mpic
