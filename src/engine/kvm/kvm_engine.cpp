// KVM engine: VM setup (capabilities, memory slot, in-kernel MPIC, vCPUs)
// and the run loop (one thread per vCPU, host I/O and device timers on the
// calling thread, all device access serialised by one mutex), including the
// debugger's stops: every vCPU thread parks outside KVM_RUN while the
// debugger looks (the Target itself is kvm_debug.cpp).
#include "engine/kvm/kvm_engine.hpp"

#include <fmt/format.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <mutex>

#include "devices/mpic/mpic_config.hpp"
#include "engine/kvm/guest_interrupt.hpp"
#include "engine/kvm/irq_routing.hpp"
#include "engine/kvm/kvm_debug.hpp"
#include "engine/kvm/vcpu.hpp"
#include "vmm/vm.hpp"

namespace vmc::kvm {

namespace {

constexpr uint64_t kPageSize = 4096;
// Bound on how long host I/O and device timers wait while the vCPUs run.
constexpr auto kIoInterval = std::chrono::milliseconds(1);
// The signal that kicks a vCPU thread out of KVM_RUN (QEMU uses the same).
constexpr int kKickSignal = SIGUSR1;

struct Required {
    uint32_t cap;
    const char* name;
    const char* why;
};
constexpr Required kRequired[] = {
    {uapi::CapSwTlb, "KVM_CAP_SW_TLB", "the TLB shared with userspace"},
    {uapi::CapPpcBookeSregs, "KVM_CAP_PPC_BOOKE_SREGS", "Book E special registers"},
    {uapi::CapOneReg, "KVM_CAP_ONE_REG", "TCR/TSR"},
    {uapi::CapDeviceCtrl, "KVM_CAP_DEVICE_CTRL", "creating the in-kernel MPIC"},
    {uapi::CapIrqMpic, "KVM_CAP_IRQ_MPIC", "connecting vCPUs to the in-kernel MPIC"},
    {uapi::CapIrqRouting, "KVM_CAP_IRQ_ROUTING", "routing device interrupt lines to MPIC pins"},
    {uapi::CapUserMemory, "KVM_CAP_USER_MEMORY", "guest RAM slots"},
    {uapi::CapImmediateExit, "KVM_CAP_IMMEDIATE_EXIT", "stopping vCPUs without races"},
};

// Device interrupt lines, delivered to the in-kernel MPIC by source number.
class KvmIrqSink final : public vmm::IrqSink {
public:
    KvmIrqSink(KvmApi& api, int vm_fd) : api_(api), vm_fd_(vm_fd) {}
    void set_irq(uint32_t source, bool level) override {
        api_.irq_line(vm_fd_, {source, level ? 1u : 0u});
    }

private:
    KvmApi& api_;
    int vm_fd_;
};

uint64_t load_guest_order(const uint8_t* data, unsigned len) {
    uint64_t value = 0;
    for (unsigned n = 0; n < len; ++n)
        value = (value << 8) | data[n];
    return value;
}

void store_guest_order(uint8_t* data, unsigned len, uint64_t value) {
    for (unsigned n = 0; n < len; ++n)
        data[n] = static_cast<uint8_t>(value >> (8 * (len - 1 - n)));
}

void install_kick_handler() {
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction action {};
        action.sa_handler = [](int) {};
        sigemptyset(&action.sa_mask);
        action.sa_flags = 0; // no SA_RESTART: KVM_RUN must return -EINTR
        sigaction(kKickSignal, &action, nullptr);
    });
}

class Engine final : public KvmEngine {
public:
    Engine(vmm::Vm& vm, KvmApi& api, const EngineOptions& options);
    ~Engine() override;

    void reset() override;
    void run() override;
    std::string dump_state() const override;
    void start_cpu(unsigned cpu, const vmm::CpuBootState& state) override;
    fdt::Hypervisor hypervisor() const override;
    debug::Target* debug_target() override;
    uint32_t host_pvr() const override { return host_pvr_; }
    HostCpuSource host_cpu() const override;

private:
    void check_capabilities();
    void add_memory_slot();
    void create_mpic();
    void connect_to_mpic(Vcpu& vcpu);
    void enable_watchdog_exit(Vcpu& vcpu);
    void vcpu_loop(Vcpu& vcpu);
    void complete_pending(Vcpu& vcpu);
    bool handle_exit(Vcpu& vcpu);
    bool handle_debug_exit(Vcpu& vcpu);
    bool handle_mmio(Vcpu& vcpu);
    void fatal(Vcpu& vcpu, const std::string& message);
    void io_loop();
    void kick_all();
    bool may_run(const Vcpu& vcpu) const;
    void service_debugger();
    void pause_all();
    void resume_all();

    vmm::Vm& vm_;
    KvmApi& api_;
    EngineOptions options_;
    int vm_fd_ = -1;
    int mpic_fd_ = -1;
    uint32_t host_pvr_ = 0;
    std::unique_ptr<KvmIrqSink> irq_sink_;
    std::vector<std::unique_ptr<Vcpu>> vcpus_;

    std::mutex device_mutex_; // every access to the device graph
    std::mutex cpu_mutex_;    // Vcpu::held / pending_start
    std::condition_variable cpu_changed_;
    std::atomic<bool> stopping_{false};

    // Debugger support: while paused every vCPU thread waits outside KVM_RUN.
    std::unique_ptr<KvmDebug> debug_;
    bool pause_ = false;               // cpu_mutex_
    unsigned busy_ = 0;                // cpu_mutex_: threads past the wait (in or around KVM_RUN)
    std::optional<unsigned> only_cpu_; // cpu_mutex_: during a step, the one vCPU that runs
    std::optional<debug::StopEvent> pending_stop_; // cpu_mutex_: a KVM_EXIT_DEBUG to report
    std::optional<unsigned> stepping_cpu_;         // VM thread: a single step is under way
    bool step_silent_ = false;                     // VM thread: that step only leaves a breakpoint
};

Engine::Engine(vmm::Vm& vm, KvmApi& api, const EngineOptions& options)
    : vm_(vm), api_(api), options_(options) {
    // The in-kernel MPIC answers the acknowledge cycle and takes the
    // interrupt lines: the graph must leave its own controller unconnected.
    if (vm.interrupt_ack)
        throw KvmError("the VM graph connects a userspace interrupt controller, but KVM's is in "
                       "the kernel (build it with VmOptions::in_kernel_interrupt_controller)",
                       EINVAL);
    vm_fd_ = api_.create_vm();
    try {
        check_capabilities();
        add_memory_slot();
        create_mpic();
        for (unsigned n = 0; n < vm.machine.cpus; ++n) {
            vcpus_.push_back(std::make_unique<Vcpu>(api_, vm_fd_, n, vm.machine.cpu));
            connect_to_mpic(*vcpus_.back());
            enable_watchdog_exit(*vcpus_.back());
        }
    } catch (...) {
        vcpus_.clear();
        if (mpic_fd_ >= 0) api_.close(mpic_fd_);
        api_.close(vm_fd_);
        throw;
    }
    host_pvr_ = vcpus_.empty() ? 0 : vcpus_.front()->pvr();
    if (host_pvr_ != vm.machine.cpu.pvr)
        fmt::print(stderr,
                   "kvm: the guest runs on the host core (PVR {:08x}), not the model's {:08x}\n",
                   host_pvr_, vm.machine.cpu.pvr);
    irq_sink_ = std::make_unique<KvmIrqSink>(api_, vm_fd_);
    vm.irq.connect(irq_sink_.get());
    vm.cpu_starter = this;
    install_kick_handler();
}

Engine::~Engine() {
    if (vm_.cpu_starter == this) vm_.cpu_starter = nullptr;
    vm_.irq.connect(nullptr);
    stopping_ = true;
    kick_all();
    for (auto& v : vcpus_)
        if (v->thread.joinable()) v->thread.join();
    vcpus_.clear();
    if (mpic_fd_ >= 0) api_.close(mpic_fd_);
    api_.close(vm_fd_);
}

void Engine::check_capabilities() {
    std::string missing;
    for (const auto& r : kRequired)
        if (api_.check_extension(vm_fd_, r.cap) <= 0)
            missing += fmt::format("\n  {} ({})", r.name, r.why);
    if (!missing.empty())
        throw KvmError("the host kernel's KVM lacks what a Book E guest needs:" + missing, ENOTSUP);
}

void Engine::add_memory_slot() {
    const auto& ram = vm_.ram;
    if (ram.base() % kPageSize || ram.size() % kPageSize || ram.size() == 0)
        throw KvmError(
            fmt::format("guest RAM [{:#x}, +{:#x}) is not page aligned", ram.base(), ram.size()),
            EINVAL);
    uapi::UserspaceMemoryRegion region{};
    region.slot = 0;
    region.guest_phys_addr = ram.base();
    region.memory_size = ram.size();
    region.userspace_addr = reinterpret_cast<uintptr_t>(vm_.ram.data());
    api_.set_user_memory_region(vm_fd_, region);
}

void Engine::create_mpic() {
    const model::Device* mpic = vm_.machine.find_device(vm_.machine.interrupt_controller);
    const devices::mpic::Config* config = mpic ? devices::mpic::config_if_mpic(*mpic) : nullptr;
    if (!config)
        throw KvmError("the KVM engine needs an MPIC interrupt controller in the machine", EINVAL);
    if (mpic->address % uapi::kMpicSize)
        throw KvmError(
            fmt::format("MPIC '{}' at {:#x}: the in-kernel MPIC needs a 256 KiB aligned base",
                        mpic->name, mpic->address),
            EINVAL);
    uapi::CreateDevice device{};
    if (config->version == "2.0")
        device.type = uapi::kDevTypeFslMpic20;
    else if (config->version == "4.2")
        device.type = uapi::kDevTypeFslMpic42;
    else
        throw KvmError(fmt::format("MPIC '{}': version {} has no in-kernel model (2.0 or 4.2)",
                                   mpic->name, config->version),
                       EINVAL);
    api_.create_device(vm_fd_, device);
    mpic_fd_ = static_cast<int>(device.fd);
    uint64_t base = mpic->address;
    uapi::DeviceAttr attr{};
    attr.group = uapi::kDevMpicGrpMisc;
    attr.attr = uapi::kDevMpicBaseAddr;
    attr.addr = reinterpret_cast<uintptr_t>(&base);
    api_.set_device_attr(mpic_fd_, attr);
    route_gsis_to_mpic_pins(api_, vm_fd_);
}

void Engine::connect_to_mpic(Vcpu& vcpu) {
    uapi::EnableCap cap{};
    cap.cap = uapi::CapIrqMpic;
    cap.args[0] = static_cast<uint64_t>(mpic_fd_);
    cap.args[1] = vcpu.index; // the vCPU's MPIC destination number
    api_.enable_cap(vcpu.fd, cap);
}

// Without it the kernel lets the watchdog's final expiry pass silently
// (it never resets a guest itself); with it that expiry leaves KVM_RUN as
// KVM_EXIT_WATCHDOG and the machine's on-reset policy applies.
void Engine::enable_watchdog_exit(Vcpu& vcpu) {
    if (api_.check_extension(vm_fd_, uapi::CapPpcBookeWatchdog) <= 0) return;
    uapi::EnableCap cap{};
    cap.cap = uapi::CapPpcBookeWatchdog;
    api_.enable_cap(vcpu.fd, cap);
}

fdt::Hypervisor Engine::hypervisor() const {
    fdt::Hypervisor node;
    node.compatible = {"linux,kvm"};
    if (api_.check_extension(vm_fd_, uapi::CapPpcGetPvinfo) > 0) {
        uapi::PpcPvinfo info{};
        api_.get_pvinfo(vm_fd_, info);
        node.hcall_instructions.assign(std::begin(info.hcall), std::end(info.hcall));
        node.has_idle = (info.flags & uapi::kPvinfoFlagsEvIdle) != 0;
    }
    return node;
}

HostCpuSource Engine::host_cpu() const {
    HostCpuSource host = read_host_cpu(options_.host_root);
    host.pvr = host_pvr_; // what the kernel reports wins over /proc/cpuinfo
    if (host.core.empty()) host.core = core_of_pvr(host_pvr_);
    return host;
}

void Engine::reset() {
    std::lock_guard lock(cpu_mutex_);
    for (auto& v : vcpus_) {
        vmm::CpuBootState state;
        state.pir = v->index;
        if (v->index < vm_.boot.cpus.size()) state = vm_.boot.cpus[v->index];
        v->apply(state);
        v->held = !state.running;
        v->pending_start.reset();
    }
}

// Called from the spin table on a vCPU thread (device mutex held): the
// target's own thread applies the state before its first KVM_RUN.
void Engine::start_cpu(unsigned cpu, const vmm::CpuBootState& state) {
    if (cpu >= vcpus_.size()) return;
    {
        std::lock_guard lock(cpu_mutex_);
        vcpus_[cpu]->pending_start = state;
        vcpus_[cpu]->held = false;
    }
    cpu_changed_.notify_all();
}

debug::Target* Engine::debug_target() {
    if (!debug_)
        debug_ = std::make_unique<KvmDebug>(api_, vm_, vcpus_, [this](unsigned cpu) {
            std::lock_guard lock(cpu_mutex_);
            return !vcpus_[cpu]->held;
        });
    return debug_.get();
}

bool Engine::may_run(const Vcpu& vcpu) const {
    return !vcpu.held && !pause_ && (!only_cpu_ || *only_cpu_ == vcpu.index);
}

// Every vCPU thread out of KVM_RUN and waiting: the debugger may look.
void Engine::pause_all() {
    {
        std::lock_guard lock(cpu_mutex_);
        pause_ = true;
    }
    kick_all();
    std::unique_lock lock(cpu_mutex_);
    cpu_changed_.wait(lock, [&] { return busy_ == 0; });
    for (auto& v : vcpus_)
        std::atomic_ref(v->run->immediate_exit).store(0);
}

void Engine::resume_all() {
    {
        std::lock_guard lock(cpu_mutex_);
        pause_ = false;
    }
    cpu_changed_.notify_all();
}

// On the VM thread: a breakpoint, watchpoint or step exit, or a halt request,
// stops every vCPU and hands the machine to the debugger. Going on from a
// stop first steps the stopped vCPU alone with no breakpoints armed, so it
// leaves the breakpoint or watched access it stopped at (the hardware would
// stop there again); a continue then resumes everyone without a report.
void Engine::service_debugger() {
    std::optional<debug::StopEvent> event;
    {
        std::lock_guard lock(cpu_mutex_);
        event = std::exchange(pending_stop_, std::nullopt);
    }
    if (!event && debug_->take_halt_request()) {
        unsigned cpu = 0;
        while (cpu + 1 < vcpus_.size() && !debug_->cpu_online(cpu))
            ++cpu;
        event = debug::StopEvent{debug::StopEvent::Why::Halted, cpu, debug::BreakKind::Software, 0};
    }
    if (!event) return;
    pause_all();
    if (stepping_cpu_) {
        stepping_cpu_.reset();
        {
            std::lock_guard lock(cpu_mutex_);
            only_cpu_.reset();
        }
        debug_->program(std::nullopt); // every breakpoint armed again
        if (std::exchange(step_silent_, false) && event->why == debug::StopEvent::Why::Step) {
            resume_all();
            return;
        }
    }
    debug::Resume how = debug_->debugger()->stopped(*debug_, *event);
    if (!debug_->debugger()) { // detached: the vCPUs run freely
        resume_all();
        return;
    }
    const unsigned cpu = how.how == debug::Resume::How::Step ? how.cpu : event->cpu;
    if (cpu < vcpus_.size() && debug_->cpu_online(cpu)) {
        stepping_cpu_ = cpu;
        step_silent_ = how.how == debug::Resume::How::Continue;
        {
            std::lock_guard lock(cpu_mutex_);
            only_cpu_ = cpu;
        }
        debug_->program(cpu);
    } else {
        debug_->program(std::nullopt);
    }
    resume_all();
}

void Engine::run() {
    stopping_ = false;
    // A debugger waiting for the first instruction: every vCPU starts paused.
    if (debug_ && debug_->debugger()) {
        std::lock_guard lock(cpu_mutex_);
        pause_ = true;
        debug_->request_halt();
    }
    for (auto& v : vcpus_) {
        std::atomic_ref(v->run->immediate_exit).store(0);
        v->thread = std::thread([this, vcpu = v.get()] { vcpu_loop(*vcpu); });
    }
    io_loop();
    stopping_ = true;
    cpu_changed_.notify_all();
    kick_all();
    for (auto& v : vcpus_)
        v->thread.join();
}

void Engine::io_loop() {
    while (!vm_.control.stop_requested()) {
        if (vm_.control.take_reset_request()) {
            vm_.control.request_reset(); // the caller applies the on-reset policy
            return;
        }
        if (debug_ && debug_->debugger()) service_debugger();
        if (vm_.control.stop_requested()) break;
        uint64_t deadline;
        {
            std::lock_guard lock(device_mutex_);
            vm_.timers.run_due(vm_.clock.now_ns());
            vm_.events.poll(0);
            deadline = vm_.timers.next_deadline();
        }
        auto wait = std::chrono::nanoseconds(kIoInterval);
        uint64_t now = vm_.clock.now_ns();
        if (deadline != vmm::TimerQueue::kNever)
            wait = std::min(wait, std::chrono::nanoseconds(deadline > now ? deadline - now : 0));
        std::this_thread::sleep_for(wait);
    }
}

void Engine::kick_all() {
    for (auto& v : vcpus_) {
        std::atomic_ref(v->run->immediate_exit).store(1);
        if (v->thread.joinable()) pthread_kill(v->thread.native_handle(), kKickSignal);
    }
}

// A vCPU thread counts in busy_ (pause_all waits for none) from the moment
// it leaves its wait until it waits again. In between it may hold an
// operation the kernel finishes only on its next KVM_RUN: the register of an
// MMIO load (or EPR) is written then, before the kernel looks at
// immediate_exit, and the PC is already past the instruction. Before such a
// vCPU parks (debugger pause, spin table) or its thread ends (stop, reset)
// it re-enters once with immediate_exit set, so that nothing lands in the
// registers later: a debugger would see the register stale, and a reset
// state would take the old load's value.
void Engine::vcpu_loop(Vcpu& vcpu) {
    bool busy = false;
    auto leave = [&] {
        if (vcpu.completion_pending) complete_pending(vcpu);
        if (!busy) return;
        {
            std::lock_guard lock(cpu_mutex_);
            --busy_;
        }
        busy = false;
        cpu_changed_.notify_all();
    };
    try {
        for (;;) {
            {
                std::unique_lock lock(cpu_mutex_);
                if (vcpu.completion_pending && (stopping_ || !may_run(vcpu))) {
                    lock.unlock();
                    complete_pending(vcpu); // still counted busy
                    lock.lock();
                }
                if (busy) {
                    --busy_;
                    busy = false;
                    cpu_changed_.notify_all();
                }
                cpu_changed_.wait(lock, [&] { return stopping_ || may_run(vcpu); });
                if (stopping_) return;
                if (vcpu.pending_start) {
                    vcpu.apply(*vcpu.pending_start);
                    vcpu.pending_start.reset();
                }
                ++busy_;
                busy = true;
            }
            int r = api_.run(vcpu.fd);
            vcpu.completion_pending = false; // every KVM_RUN finishes what was pending
            if (r == -EINTR) {
                std::atomic_ref(vcpu.run->immediate_exit).store(0);
                if (stopping_ || vm_.control.stop_requested()) return leave();
                continue;
            }
            if (r < 0) {
                fatal(vcpu, fmt::format("KVM_RUN failed: {}", std::strerror(-r)));
                return leave();
            }
            if (!handle_exit(vcpu)) return leave();
        }
    } catch (const std::exception& error) {
        vm_.control.request_stop(vmm::ExitReason::Error,
                                 fmt::format("kvm: cpu{}: {}", vcpu.index, error.what()));
        leave();
    }
}

// KVM_RUN with immediate_exit set: the kernel completes the pending
// operation and returns -EINTR without running guest code.
void Engine::complete_pending(Vcpu& vcpu) {
    std::atomic_ref(vcpu.run->immediate_exit).store(1);
    int r = api_.run(vcpu.fd);
    std::atomic_ref(vcpu.run->immediate_exit).store(0);
    vcpu.completion_pending = false;
    if (r != -EINTR && r < 0)
        fmt::print(stderr, "kvm: cpu{}: completing the pending MMIO load or EPR failed: {}\n",
                   vcpu.index, std::strerror(-r));
}

void Engine::fatal(Vcpu& vcpu, const std::string& message) {
    std::string text = fmt::format("kvm: cpu{}: {}", vcpu.index, message);
    fmt::print(stderr, "{}\n{}", text, vcpu.dump());
    vm_.control.request_stop(vmm::ExitReason::Fatal, text);
}

// false: this vCPU stops (the VM is stopping).
bool Engine::handle_exit(Vcpu& vcpu) {
    uapi::Run& run = *vcpu.run;
    switch (run.exit_reason) {
    case uapi::ExitMmio:
        return handle_mmio(vcpu);
    case uapi::ExitEpr: {
        // Only with a userspace MPIC; ours is in the kernel, so this is the
        // spurious vector rather than a guess. The kernel writes EPR on re-entry.
        std::lock_guard lock(device_mutex_);
        run.epr.epr = vm_.interrupt_ack ? vm_.interrupt_ack->acknowledge(vcpu.index) : 0xffff;
        vcpu.completion_pending = true;
        return true;
    }
    case uapi::ExitWatchdog:
        // The watchdog's final expiry with TCR[WRC] set: the core would reset
        // the system, so the machine's on-reset policy applies (restart or exit).
        fmt::print(stderr, "kvm: cpu{}: watchdog expired (TCR[WRC] set): resetting the machine\n",
                   vcpu.index);
        vm_.control.request_reset();
        return false;
    case uapi::ExitDebug:
        return handle_debug_exit(vcpu);
    case uapi::ExitIntr:
        return !stopping_ && !vm_.control.stop_requested();
    case uapi::ExitInternalError: {
        std::string data;
        for (uint32_t n = 0; n < std::min<uint32_t>(run.internal.ndata, 16); ++n)
            data += fmt::format(" {:#x}", run.internal.data[n]);
        fatal(vcpu, fmt::format("KVM internal error, suberror {}{}", run.internal.suberror, data));
        return false;
    }
    case uapi::ExitShutdown:
        fatal(vcpu, "the kernel shut the vCPU down");
        return false;
    case uapi::ExitUnknown:
        // An instruction the kernel could not emulate: it has queued a
        // program interrupt for the guest and names the instruction in the
        // low word (kvmppc's emulation_exit); QEMU stops the VM here too.
        fatal(vcpu, fmt::format("the kernel could not emulate instruction {:08x} (hardware reason "
                                "{:#x}); a program interrupt is queued for the guest",
                                static_cast<uint32_t>(run.hw.hardware_exit_reason),
                                run.hw.hardware_exit_reason));
        return false;
    case uapi::ExitFailEntry:
        fatal(vcpu,
              fmt::format("entry failed (hardware reason {:#x})", run.hw.hardware_exit_reason));
        return false;
    default:
        fatal(vcpu, fmt::format("unexpected exit reason {}", run.exit_reason));
        return false;
    }
}

// A debug exit: a breakpoint, watchpoint or step for the debugger; or, with
// no debugger, the guest's own `ehpriv 1` (the kernel exits on it whether
// or not guest debugging is on, leaving the PC at it). That one must not
// stop the VM: the guest gets the program interrupt an illegal instruction
// raises, as QEMU gives it.
bool Engine::handle_debug_exit(Vcpu& vcpu) {
    uapi::Run& run = *vcpu.run;
    if (!debug_ || !debug_->debugger()) {
        raise_program_interrupt(api_, vcpu.fd, kEsrIllegal);
        return !vm_.control.stop_requested();
    }
    // The VM thread stops everyone and reports the first stop; this
    // vCPU waits at the top of its loop meanwhile.
    std::lock_guard lock(cpu_mutex_);
    if (!pending_stop_)
        pending_stop_ =
            debug_->stop_event(vcpu.index, run, stepping_cpu_ && *stepping_cpu_ == vcpu.index);
    pause_ = true;
    return true;
}

// The kernel hands MMIO data in guest memory order: for this big-endian
// guest data[0] is the most significant byte. Byte-reversed loads and
// stores are already folded in by the kernel; little-endian pages are not
// (Book E KVM does not look at the TLB entry's E bit), so a guest using one
// for MMIO sees its bytes in big-endian order.
bool Engine::handle_mmio(Vcpu& vcpu) {
    auto& mmio = vcpu.run->mmio;
    unsigned len = mmio.len;
    if (len == 0 || len > 8) {
        fatal(vcpu, fmt::format("MMIO exit with length {}", len));
        return false;
    }
    bool ok;
    {
        std::lock_guard lock(device_mutex_);
        vm_.current_cpu = vcpu.index;
        if (mmio.is_write) {
            ok = vm_.bus.write(mmio.phys_addr, len, load_guest_order(mmio.data, len));
        } else {
            uint64_t value = 0;
            ok = vm_.bus.read(mmio.phys_addr, len, value);
            store_guest_order(mmio.data, len, value);
            vcpu.completion_pending = true; // the kernel writes the register on re-entry
        }
    }
    if (!ok) {
        fatal(vcpu, fmt::format("{}-byte {} of unmapped physical address {:#x}", len,
                                mmio.is_write ? "write" : "read", mmio.phys_addr));
        return false;
    }
    return !vm_.control.stop_requested();
}

std::string Engine::dump_state() const {
    std::string out;
    for (const auto& v : vcpus_)
        out += v->dump();
    return out;
}

} // namespace

std::unique_ptr<KvmEngine> create_engine(vmm::Vm& vm, KvmApi& api, const EngineOptions& options) {
    return std::make_unique<Engine>(vm, api, options);
}

} // namespace vmc::kvm
