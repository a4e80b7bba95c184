// vmcompose up: validate, compile, boot. stdout carries exactly what the
// guest writes to a stdio console; vmcompose's own messages go to stderr.
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cli/atomic_file.hpp"
#include "cli/commands.hpp"
#include "cli/trace_option.hpp"
#include "config/load.hpp"
#include "debug/gdb_server.hpp"
#include "debug/monitor.hpp"
#include "debug/monitor_server.hpp"
#include "debug/stats.hpp"
#include "debug/target.hpp"
#include "engine/emu/emu_engine.hpp"
#include "engine/kvm/host.hpp"
#include "engine/kvm/kvm_engine.hpp"
#include "fdt/compile.hpp"
#include "vmm/boot_plan.hpp"
#include "vmm/build.hpp"
#include "vmm/device_trace.hpp"

namespace vmc::cli {

namespace {

struct UpOptions {
    std::string file;
    std::vector<std::string> sets;
    double timeout_seconds = 0;
    bool icount = false;
    bool no_jit = false;
    bool verbose = false;
    std::string dtb_out;
    std::string trace;
    std::string accel = "auto";
    std::string stats; // "", "text" or "json"
    std::string gdb;   // tcp::PORT or tcp:HOST:PORT
    bool gdb_wait = false;
    std::string monitor; // unix:PATH
};

// --stats: the engine's counters plus the bus's, printed to stderr at the end
// of the run and whenever SIGUSR1 arrives. The signal is blocked and read
// through a signalfd on the VM's event loop, so nothing runs in a handler.
class StatsReporter {
public:
    StatsReporter(const std::string& format, vmm::Vm& vm, vmm::Engine& engine)
        : format_(format), vm_(vm), target_(engine.debug_target()),
          start_(std::chrono::steady_clock::now()) {
        if (format_.empty()) return;
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGUSR1);
        pthread_sigmask(SIG_BLOCK, &set, nullptr);
        signal_fd_ = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
        if (signal_fd_ >= 0)
            vm_.events.add_reader(signal_fd_, [this] {
                signalfd_siginfo info;
                while (::read(signal_fd_, &info, sizeof info) == sizeof info) {
                }
                report();
            });
    }
    ~StatsReporter() {
        if (signal_fd_ < 0) return;
        vm_.events.remove(signal_fd_);
        ::close(signal_fd_);
    }
    void report() const {
        if (format_.empty()) return;
        debug::RunStats stats;
        if (target_) target_->collect_stats(stats);
        debug::collect_mmio_stats(vm_, stats);
        stats.host_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        std::string text =
            format_ == "json" ? debug::stats_json(stats) + "\n" : debug::stats_text(stats);
        std::fputs(text.c_str(), stderr);
        std::fflush(stderr);
    }

private:
    std::string format_;
    vmm::Vm& vm_;
    debug::Target* target_;
    std::chrono::steady_clock::time_point start_;
    int signal_fd_ = -1;
};

// Ends the run with ExitReason::Timeout after the given host time, unless
// the run ends first.
class Watchdog {
public:
    Watchdog(double seconds, vmm::Vm& vm) {
        if (seconds <= 0) return;
        thread_ = std::thread([this, seconds, &vm] {
            std::unique_lock lock(mutex_);
            auto deadline =
                std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
            if (!done_cv_.wait_until(lock, deadline, [this] { return done_; })) {
                vm.control.request_stop(vmm::ExitReason::Timeout,
                                        fmt::format("timeout after {} s", seconds));
                vm.events.wake();
            }
        });
    }
    ~Watchdog() {
        {
            std::lock_guard lock(mutex_);
            done_ = true;
        }
        done_cv_.notify_all();
        if (thread_.joinable()) thread_.join();
    }

private:
    std::mutex mutex_;
    std::condition_variable done_cv_;
    bool done_ = false;
    std::thread thread_;
};

// Loads the images, compiles the device tree for where they landed and puts
// it in guest RAM. Runs at power-on and again at every guest reset.
void boot_guest(vmm::Vm& vm, const vmm::BootPlan& plan, const UpOptions& opts,
                const std::optional<fdt::Hypervisor>& hypervisor,
                const std::optional<fdt::HostCpu>& host_cpu) {
    vmm::load_guest(vm, plan);
    fdt::CompileInputs inputs;
    inputs.hypervisor = hypervisor;
    inputs.host_cpu = host_cpu;
    if (plan.initrd) {
        inputs.initrd_start = plan.initrd->address;
        inputs.initrd_end = plan.initrd->end();
    }
    vm.dtb = fdt::compile(vm.machine, inputs);
    vmm::place_dtb(vm, vm.dtb);
    if (!opts.dtb_out.empty())
        write_atomically(
            opts.dtb_out,
            std::string_view(reinterpret_cast<const char*>(vm.dtb.data()), vm.dtb.size()),
            "--dtb-out");
}

// The engine `--accel` asks for, with what it needs kept alive beside it.
struct ChosenEngine {
    std::unique_ptr<kvm::KvmApi> kvm_api; // outlives the engine that issues its calls
    std::unique_ptr<vmm::Engine> engine;
    std::optional<fdt::Hypervisor> hypervisor; // the /hypervisor node under KVM
    std::optional<fdt::HostCpu> host_cpu;      // the host core's frequencies under KVM
};

// kvm: this host must have /dev/kvm and an e500mc-class core; auto: KVM
// when it has both, the built-in emulator otherwise. Prints why and returns
// nullopt when the requested engine cannot run here.
std::optional<ChosenEngine> choose_engine(vmm::Vm& vm, const UpOptions& opts,
                                          const std::string& exec_trace) {
    ChosenEngine chosen;
    bool use_kvm = false;
    if (opts.accel != "emu") {
        const kvm::HostCheck host = kvm::check_host();
        use_kvm = host.usable();
        if (opts.accel == "kvm" && !use_kvm) {
            std::string why;
            for (const auto& missing : host.missing)
                why += "\n  - " + missing;
            std::fprintf(stderr,
                         "vmcompose: --accel kvm: this host cannot run KVM guests:%s\n"
                         "vmcompose: use --accel emu (or auto) for the built-in emulator\n",
                         why.c_str());
            return std::nullopt;
        }
        if (opts.verbose)
            std::fprintf(stderr, "vmcompose: engine: %s\n",
                         use_kvm ? fmt::format("KVM on the host's {}", host.cpu).c_str()
                                 : "built-in emulator (no KVM on this host)");
    }
    if (use_kvm) {
        try {
            chosen.kvm_api = kvm::open_linux_kvm();
            auto engine = kvm::create_engine(vm, *chosen.kvm_api);
            chosen.hypervisor = engine->hypervisor();
            const kvm::HostCpuSource host = engine->host_cpu();
            chosen.host_cpu = host.cpu;
            if (opts.verbose)
                std::fprintf(
                    stderr,
                    "vmcompose: KVM: the guest runs on the host's %s (PVR %08x): clock %llu Hz "
                    "(%s), timebase %llu Hz (%s) in the device tree\n",
                    host.core.empty() ? "core" : host.core.c_str(), host.pvr,
                    static_cast<unsigned long long>(host.cpu.clock_frequency),
                    host.clock_from.c_str(),
                    static_cast<unsigned long long>(host.cpu.timebase_frequency),
                    host.timebase_from.c_str());
            chosen.engine = std::move(engine);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "vmcompose: KVM: %s\n", e.what());
            return std::nullopt;
        }
        return chosen;
    }
    emu::EmuOptions emu_options;
    emu_options.trace_exec_path = exec_trace;
    emu_options.jit = !opts.no_jit;
    chosen.engine = emu::create_engine(vm, emu_options);
    return chosen;
}

int run_up(const UpOptions& opts) {
    config::Diagnostics diagnostics;
    auto machine = config::load_machine({opts.file, opts.sets}, diagnostics);
    config::print_diagnostics(diagnostics, stderr);
    if (!machine) return kExitInvalid;
    TraceSpec trace;
    if (!opts.trace.empty()) {
        std::string error;
        auto parsed = parse_trace(opts.trace, error);
        if (!parsed) {
            std::fprintf(stderr, "vmcompose: --trace %s: %s\n", opts.trace.c_str(), error.c_str());
            return kExitUsage;
        }
        trace = *parsed;
    }
    std::string monitor_path;
    if (!opts.monitor.empty()) {
        try {
            monitor_path = debug::parse_monitor_address(opts.monitor);
        } catch (const std::invalid_argument& e) {
            std::fprintf(stderr, "vmcompose: %s\n", e.what());
            return kExitUsage;
        }
    }

    vmm::BootPlan plan = vmm::plan_boot(*machine);
    vmm::VmOptions vm_options;
    vm_options.clock = opts.icount ? vmm::Clock::Mode::Instructions : vmm::Clock::Mode::RealTime;
    auto vm = vmm::build(*machine, vm_options);

    std::unique_ptr<std::FILE, int (*)(std::FILE*)> device_trace_file(nullptr, std::fclose);
    if (!trace.device_path.empty()) {
        device_trace_file.reset(std::fopen(trace.device_path.c_str(), "w"));
        if (!device_trace_file) {
            std::fprintf(stderr, "vmcompose: --trace: cannot write %s: %s\n",
                         trace.device_path.c_str(), std::strerror(errno));
            return vmm::exit_status(vmm::ExitReason::Error);
        }
    }
    std::optional<vmm::DeviceTrace> device_trace;
    if (trace.mmio || trace.irq)
        device_trace.emplace(*vm, device_trace_file ? device_trace_file.get() : stderr, trace.mmio,
                             trace.irq);

    auto chosen = choose_engine(*vm, opts, trace.exec_path);
    if (!chosen) return kExitUsage;
    vmm::Engine* engine = chosen->engine.get();
    vm->cpu_starter = engine;

    // Before any thread starts, so that they all inherit the blocked SIGUSR1.
    StatsReporter stats(opts.stats, *vm, *engine);

    std::unique_ptr<debug::GdbServer> gdb;
    if (!opts.gdb.empty()) {
        debug::Target* target = engine->debug_target();
        if (!target) {
            std::fprintf(stderr, "vmcompose: --gdb: this engine has no debugger interface\n");
            return kExitUsage;
        }
        debug::ListenAddress address;
        try {
            address = debug::parse_listen_address(opts.gdb);
        } catch (const std::invalid_argument& e) {
            std::fprintf(stderr, "vmcompose: %s\n", e.what());
            return kExitUsage;
        }
        gdb = std::make_unique<debug::GdbServer>(*target, vm->events, [&vm] {
            vm->control.request_stop(vmm::ExitReason::UserQuit, "killed from the debugger");
        });
        gdb->listen(address);
        std::fprintf(stderr, "vmcompose: gdb: listening on %s%s\n", gdb->bound_address().c_str(),
                     opts.gdb_wait ? ", waiting for the debugger before the first instruction"
                                   : "");
        std::fflush(stderr);
        if (opts.gdb_wait) gdb->wait_for_client();
    }

    // The monitor: Ctrl-A c on the terminal, and --monitor's socket.
    debug::Monitor monitor(*vm, engine->debug_target(), gdb != nullptr);
    vm->monitor = &monitor;
    std::unique_ptr<debug::MonitorServer> monitor_server;
    if (!monitor_path.empty()) {
        try {
            monitor_server =
                std::make_unique<debug::MonitorServer>(monitor_path, monitor, vm->events);
        } catch (const std::runtime_error& e) {
            std::fprintf(stderr, "vmcompose: %s\n", e.what());
            return vmm::exit_status(vmm::ExitReason::Error);
        }
    }

    Watchdog watchdog(opts.timeout_seconds, *vm);
    const auto run_start = std::chrono::steady_clock::now();
    for (;;) {
        boot_guest(*vm, plan, opts, chosen->hypervisor, chosen->host_cpu);
        engine->reset();
        engine->run();
        if (vm->control.stop_requested()) break;
        if (vm->control.take_reset_request()) {
            if (machine->on_reset == model::ResetPolicy::Exit) {
                vm->control.request_stop(vmm::ExitReason::Reset, "guest requested a reset");
                break;
            }
            if (opts.verbose) std::fprintf(stderr, "vmcompose: guest reset, restarting\n");
            for (auto& device : vm->devices)
                device->reset();
            continue;
        }
    }

    if (opts.verbose) {
        // Guest speed for benchmarks: instructions over host time from reset to stop.
        std::chrono::duration<double> ran = std::chrono::steady_clock::now() - run_start;
        uint64_t executed = emu::instructions_executed(*engine);
        std::fprintf(stderr, "vmcompose: %llu guest instructions in %.3f s (%.1f MIPS)\n",
                     static_cast<unsigned long long>(executed), ran.count(),
                     ran.count() > 0 ? executed / ran.count() / 1e6 : 0.0);
    }

    vm->monitor = nullptr;
    vmm::ExitReason reason = vm->control.reason();
    if (gdb) gdb->exited(vmm::exit_status(reason));
    stats.report();
    if (reason == vmm::ExitReason::Fatal || reason == vmm::ExitReason::Error ||
        (reason == vmm::ExitReason::Timeout && opts.verbose))
        std::fprintf(stderr, "vmcompose: %s\n%s", vm->control.message().c_str(),
                     engine->dump_state().c_str());
    else if (opts.verbose || reason == vmm::ExitReason::Timeout)
        std::fprintf(stderr, "vmcompose: %s\n",
                     vm->control.message().empty() ? "guest stopped"
                                                   : vm->control.message().c_str());
    return vmm::exit_status(reason);
}

} // namespace

void add_up_command(CLI::App& app, Action& action) {
    auto opts = std::make_shared<UpOptions>();
    auto* cmd = app.add_subcommand("up", "Validate, compile and boot a machine");
    cmd->add_option("file", opts->file, "Machine file (YAML)")->required();
    config::add_set_option(*cmd, opts->sets);
    cmd->add_option("--timeout", opts->timeout_seconds,
                    "Stop the guest after SECONDS (exit status 5)");
    cmd->add_flag("--icount", opts->icount,
                  "Deterministic clock: guest time advances by instructions executed");
    cmd->add_flag("--no-jit", opts->no_jit,
                  "Built-in emulator: interpret every instruction instead of translating hot "
                  "code to host code");
    cmd->add_flag("-v,--verbose", opts->verbose, "Report what vmcompose does on stderr");
    cmd->add_option("--dtb-out", opts->dtb_out, "Save the device tree the guest booted with");
    cmd->add_option("--trace", opts->trace,
                    "Comma-separated: exec[=FILE] (every instruction), mmio[=FILE] (device "
                    "register accesses), irq[=FILE] (interrupts); mmio and irq go to stderr "
                    "unless given a file");
    cmd->add_option("--accel", opts->accel, "Engine: auto, emu or kvm")
        ->check(CLI::IsMember({"auto", "emu", "kvm"}));
    auto* stats =
        cmd->add_option("--stats", opts->stats,
                        "Print run statistics to stderr on exit and on SIGUSR1: text (the default) "
                        "or json")
            ->expected(0, 1)
            ->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("--gdb", opts->gdb,
                    "Serve the GDB remote protocol on tcp::PORT or tcp:HOST:PORT (host "
                    "127.0.0.1 unless given)");
    cmd->add_flag("--gdb-wait", opts->gdb_wait,
                  "With --gdb: wait for the debugger and stop before the first instruction")
        ->needs("--gdb");
    cmd->add_option("--monitor", opts->monitor,
                    "Serve the monitor (the commands Ctrl-A c opens) on unix:PATH, for scripts");
    cmd->callback([&action, opts, stats] {
        if (stats->count() && opts->stats.empty()) opts->stats = "text";
        action = [opts] { return run_up(*opts); };
    });
}

} // namespace vmc::cli
