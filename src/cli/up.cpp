// vmcompose up: validate, compile, boot. stdout carries exactly what the
// guest writes to a stdio console; vmcompose's own messages go to stderr.
// This file turns the command line into calls: the engine comes from the
// engine registry (engine/engine_kind.hpp), boot, reset and exit policy
// from vmm::run.
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/atomic_file.hpp"
#include "cli/commands.hpp"
#include "cli/trace_option.hpp"
#include "config/load.hpp"
#include "debug/gdb_server.hpp"
#include "debug/monitor.hpp"
#include "debug/monitor_server.hpp"
#include "debug/stats.hpp"
#include "debug/stats_reporter.hpp"
#include "debug/target.hpp"
#include "engine/engine_kind.hpp"
#include "vmm/boot_plan.hpp"
#include "vmm/build.hpp"
#include "vmm/deadline.hpp"
#include "vmm/device_trace.hpp"
#include "vmm/run.hpp"

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

void note(const UpOptions& opts, std::string_view text) {
    if (opts.verbose) std::fprintf(stderr, "vmcompose: %.*s\n", int(text.size()), text.data());
}

// --gdb: a server on the engine's debug target; nullptr with a message
// when it cannot be set up (the caller exits with a usage error).
std::unique_ptr<debug::GdbServer> start_gdb(const UpOptions& opts, vmm::Vm& vm,
                                            vmm::Engine& engine) {
    debug::Target* target = engine.debug_target();
    if (!target) {
        std::fprintf(stderr, "vmcompose: --gdb: this engine has no debugger interface\n");
        return nullptr;
    }
    debug::ListenAddress address;
    try {
        address = debug::parse_listen_address(opts.gdb);
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "vmcompose: %s\n", e.what());
        return nullptr;
    }
    auto gdb = std::make_unique<debug::GdbServer>(*target, vm.events, [&vm] {
        vm.control.request_stop(vmm::ExitReason::UserQuit, "killed from the debugger");
    });
    gdb->listen(address);
    std::fprintf(stderr, "vmcompose: gdb: listening on %s%s\n", gdb->bound_address().c_str(),
                 opts.gdb_wait ? ", waiting for the debugger before the first instruction" : "");
    std::fflush(stderr);
    if (opts.gdb_wait) gdb->wait_for_client();
    return gdb;
}

// Guest speed for benchmarks: instructions over host time from reset to stop.
void report_speed(vmm::Engine& engine, std::chrono::duration<double> ran) {
    debug::RunStats stats;
    if (debug::Target* target = engine.debug_target()) target->collect_stats(stats);
    uint64_t executed = stats.instructions();
    std::fprintf(stderr, "vmcompose: %llu guest instructions in %.3f s (%.1f MIPS)\n",
                 static_cast<unsigned long long>(executed), ran.count(),
                 ran.count() > 0 ? executed / ran.count() / 1e6 : 0.0);
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

    engine::Choice choice = engine::choose_engine(opts.accel);
    if (!choice.kind) {
        std::fprintf(stderr, "vmcompose: %s\n", choice.error.c_str());
        return kExitUsage;
    }
    note(opts, "engine: " + choice.note);

    vmm::RunPlan plan;
    plan.boot = vmm::plan_boot(*machine);
    vmm::VmOptions vm_options;
    vm_options.clock = opts.icount ? vmm::Clock::Mode::Instructions : vmm::Clock::Mode::RealTime;
    vm_options.in_kernel_interrupt_controller = choice.kind->in_kernel_interrupt_controller;
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

    engine::Options engine_options;
    engine_options.jit = !opts.no_jit;
    engine_options.trace_exec_path = trace.exec_path;
    engine_options.verbose = opts.verbose;
    engine::Started started;
    try {
        started = choice.kind->start(*vm, engine_options);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "vmcompose: %s\n", e.what());
        return kExitUsage;
    }
    vmm::Engine& engine = *started.engine;
    plan.tree = started.tree;
    if (!opts.dtb_out.empty())
        plan.on_dtb = [&opts](std::span<const uint8_t> dtb) {
            write_atomically(
                opts.dtb_out,
                std::string_view(reinterpret_cast<const char*>(dtb.data()), dtb.size()),
                "--dtb-out");
        };
    plan.note = [&opts](std::string_view text) { note(opts, text); };

    // Before any thread starts, so that they all inherit the blocked SIGUSR1.
    debug::StatsReporter stats(opts.stats, *vm, engine);
    std::unique_ptr<debug::GdbServer> gdb;
    if (!opts.gdb.empty() && !(gdb = start_gdb(opts, *vm, engine))) return kExitUsage;

    // The monitor: Ctrl-A c on the terminal, and --monitor's socket.
    debug::Monitor monitor(*vm, engine.debug_target(), gdb != nullptr);
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

    vmm::Deadline deadline(opts.timeout_seconds, *vm);
    const auto run_start = std::chrono::steady_clock::now();
    vmm::ExitReason reason = vmm::run(*vm, engine, plan);
    if (opts.verbose) report_speed(engine, std::chrono::steady_clock::now() - run_start);

    vm->monitor = nullptr;
    if (gdb) gdb->exited(vmm::exit_status(reason));
    stats.report();
    if (reason == vmm::ExitReason::Fatal || reason == vmm::ExitReason::Error ||
        (reason == vmm::ExitReason::Timeout && opts.verbose))
        std::fprintf(stderr, "vmcompose: %s\n%s", vm->control.message().c_str(),
                     engine.dump_state().c_str());
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
