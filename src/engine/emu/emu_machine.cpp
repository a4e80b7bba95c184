#include "engine/emu/emu_machine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace vmc::emu {

namespace {
constexpr uint64_t kPollIntervalNs = 1'000'000; // host I/O at least every ms of guest time
constexpr int kMaxBlockMs = 100;                // bound on one idle sleep (stop requests)
} // namespace

EmuMachine::EmuMachine(vmm::Vm& vm, const EmuOptions& options) : vm_(vm), shared_(vm, options) {
    if (!options.trace_exec_path.empty()) {
        shared_.trace = std::fopen(options.trace_exec_path.c_str(), "w");
        if (!shared_.trace)
            throw std::runtime_error("cannot open trace file " + options.trace_exec_path);
    }
    for (unsigned n = 0; n < vm.machine.cpus; ++n)
        cores_.push_back(std::make_unique<Core>(n, shared_));
    for (auto& core : cores_)
        shared_.cores.push_back(core.get());
    vm.cpu_starter = this;
}

EmuMachine::~EmuMachine() {
    if (vm_.cpu_starter == this) vm_.cpu_starter = nullptr;
    if (shared_.trace) std::fclose(shared_.trace);
}

void EmuMachine::reset() {
    shared_.code.invalidate_all();
    for (unsigned n = 0; n < cores_.size(); ++n) {
        vmm::CpuBootState state;
        state.pir = n;
        if (n < vm_.boot.cpus.size()) state = vm_.boot.cpus[n];
        cores_[n]->reset(state);
    }
    // One time base for the SoC: resetting the cores one after the other
    // would leave each a few host microseconds behind the one before.
    for (unsigned n = 1; n < cores_.size(); ++n)
        cores_[n]->share_timebase(*cores_[0]);
}

void EmuMachine::start_cpu(unsigned cpu, const vmm::CpuBootState& state) {
    if (cpu >= cores_.size()) return;
    // The time base belongs to the SoC and has counted since power-on on
    // every core alike: a released core keeps it instead of starting at 0.
    cores_[cpu]->reset(state, true);
    cores_[cpu]->running = true;
}

uint64_t EmuMachine::instructions() const {
    uint64_t total = 0;
    for (const auto& core : cores_)
        total += core->instructions;
    return total;
}

void EmuMachine::stop_on_checkstop(Core& core) {
    fmt::print(stderr, "emu: {}\n{}", core.checkstop_reason, dump_state());
    vm_.control.request_stop(vmm::ExitReason::Fatal, core.checkstop_reason);
}

void EmuMachine::run() {
    const bool icount = vm_.clock.mode() == vmm::Clock::Mode::Instructions;
    const uint64_t limit = shared_.options.instruction_limit;
    while (!vm_.control.stop_requested()) {
        if (vm_.control.take_reset_request()) {
            vm_.control.request_reset(); // leave it for the caller's on-reset policy
            return;
        }
        if (debug_active_) [[unlikely]] {
            debug_->service(); // returns when the debugger lets the machine go
            if (vm_.control.stop_requested()) break;
        }
        uint64_t longest = 0;
        bool any_awake = false;
        for (auto& core : cores_) {
            if (!core->running) continue;
            if (core->waiting) {
                core->update_timers();
                if (!core->has_enabled_interrupt()) continue;
                core->waiting = false;
            }
            uint64_t budget = kQuantum;
            if (debug_active_) [[unlikely]] {
                budget = debug_->budget(core->index, kQuantum);
                if (budget == 0) continue;
            }
            any_awake = true;
            longest = std::max(longest, core->run(budget));
            if (core->checkstop) stop_on_checkstop(*core);
            if (vm_.control.stop_requested()) break;
            if (debug_active_ && debug_->stopping()) break;
        }
        if (icount) vm_.clock.advance(longest * shared_.options.ns_per_instruction);
        uint64_t now = vm_.clock.now_ns();
        vm_.timers.run_due(now);
        if (now - last_poll_ns_ >= kPollIntervalNs || now < last_poll_ns_) {
            vm_.events.poll(0);
            last_poll_ns_ = now;
        }
        if (limit && instructions() >= limit) {
            vm_.control.request_stop(vmm::ExitReason::Error, "instruction limit reached");
            break;
        }
        if (!any_awake) idle();
    }
}

debug::Target* EmuMachine::debug_target() {
    if (!debug_) debug_ = std::make_unique<EmuDebug>(*this, debug_active_);
    return debug_.get();
}

// Every running vCPU sleeps: wait in the event loop until the earliest timer.
void EmuMachine::idle() {
    auto start = std::chrono::steady_clock::now();
    struct AddIdleTime {
        std::chrono::steady_clock::time_point start;
        uint64_t& total;
        ~AddIdleTime() {
            total += static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                               std::chrono::steady_clock::now() - start)
                                               .count());
        }
    } add_idle_time{start, idle_ns_};
    uint64_t deadline = vm_.timers.next_deadline();
    bool any_running = false;
    for (auto& core : cores_) {
        if (!core->running) continue;
        any_running = true;
        deadline = std::min(deadline, core->next_timer_ns());
    }
    uint64_t now = vm_.clock.now_ns();
    if (vm_.clock.mode() == vmm::Clock::Mode::Instructions) {
        // Guest time only moves when something is due; jump straight to it.
        if (deadline != vmm::TimerQueue::kNever && any_running) {
            if (deadline > now) vm_.clock.advance(deadline - now);
            vm_.events.poll(0);
        } else {
            vm_.events.poll(kMaxBlockMs);
        }
        return;
    }
    int timeout = kMaxBlockMs;
    if (deadline != vmm::TimerQueue::kNever)
        timeout = deadline <= now ? 0
                                  : static_cast<int>(std::min<uint64_t>(
                                        (deadline - now + 999'999) / 1'000'000, kMaxBlockMs));
    vm_.events.poll(timeout);
    last_poll_ns_ = vm_.clock.now_ns();
}

std::string EmuMachine::dump_state() const {
    std::string out;
    for (const auto& cp : cores_) {
        const Core& c = *cp;
        const Sprs& s = c.s;
        out += fmt::format("cpu{}: {}{} pc={:08x} msr={:08x} lr={:08x} ctr={:08x} cr={:08x} "
                           "xer={:08x} instructions={}\n",
                           c.index, c.running ? "running" : "held", c.waiting ? " (wait)" : "",
                           c.pc, c.msr, c.lr, c.ctr, c.cr, c.xer, c.instructions);
        for (unsigned r = 0; r < 32; r += 8) {
            out += fmt::format("  r{:<2}", r);
            for (unsigned k = r; k < r + 8; ++k)
                out += fmt::format(" {:08x}", c.gpr[k]);
            out += '\n';
        }
        out += fmt::format("  srr0={:08x} srr1={:08x} csrr0={:08x} csrr1={:08x} mcsrr0={:08x} "
                           "mcsrr1={:08x}\n",
                           s.srr0, s.srr1, s.csrr0, s.csrr1, s.mcsrr0, s.mcsrr1);
        out += fmt::format("  esr={:08x} dear={:08x} mcsr={:08x} mcar={:08x} pid={} ivpr={:08x} "
                           "pir={} pvr={:08x}\n",
                           s.esr, s.dear, s.mcsr, s.mcar, s.pid, s.ivpr, s.pir, s.pvr);
        out += "  ivor";
        for (unsigned n :
             {0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u, 9u, 10u, 11u, 12u, 13u, 14u, 15u, 35u, 36u, 37u})
            out += fmt::format(" {}:{:04x}", n, s.ivor[n]);
        out += '\n';
        out += "  sprg";
        for (unsigned n = 0; n < 10; ++n)
            out += fmt::format(" {:08x}", s.sprg[n]);
        out += '\n';
        out +=
            fmt::format("  tcr={:08x} tsr={:08x} dec={:08x} decar={:08x} tb={:016x} epr={:08x}\n",
                        s.tcr, s.tsr, c.dec(), s.decar, c.timebase(), s.epr);
        out += fmt::format("  mas0={:08x} mas1={:08x} mas2={:08x} mas3={:08x} mas4={:08x} "
                           "mas6={:08x} mas7={:08x}\n",
                           c.mas.mas0, c.mas.mas1, c.mas.mas2, c.mas.mas3, c.mas.mas4, c.mas.mas6,
                           c.mas.mas7);
        const auto& tlb1 = c.mmu.tlb1();
        for (size_t n = 0; n < tlb1.size(); ++n) {
            const auto& e = tlb1[n];
            if (!(e.mas1 & 0x80000000)) continue;
            out += fmt::format("  tlb1[{:2}] mas1={:08x} mas2={:08x} mas7_3={:016x}\n", n, e.mas1,
                               static_cast<uint32_t>(e.mas2), e.mas7_3);
        }
    }
    return out;
}

std::unique_ptr<vmm::Engine> create_engine(vmm::Vm& vm, const EmuOptions& options) {
    return std::make_unique<EmuMachine>(vm, options);
}

uint64_t instructions_executed(const vmm::Engine& engine) {
    auto* machine = dynamic_cast<const EmuMachine*>(&engine);
    return machine ? machine->instructions() : 0;
}

} // namespace vmc::emu
