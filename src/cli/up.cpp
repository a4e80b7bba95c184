// vmcompose up: validate, compile, boot. stdout carries exactly what the
// guest writes to a stdio console; vmcompose's own messages go to stderr.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "cli/atomic_file.hpp"
#include "cli/commands.hpp"
#include "config/load.hpp"
#include "engine/emu/emu_engine.hpp"
#include "engine/kvm/host.hpp"
#include "engine/kvm/kvm_engine.hpp"
#include "fdt/compile.hpp"
#include "vmm/boot_plan.hpp"
#include "vmm/build.hpp"

namespace vmc::cli {

namespace {

struct UpOptions {
    std::string file;
    std::vector<std::string> sets;
    double timeout_seconds = 0;
    bool icount = false;
    bool verbose = false;
    std::string dtb_out;
    std::string trace;
    std::string accel = "auto";
};

// Ends the run with ExitReason::Timeout after the given host time, unless
// the run ends first.
class Watchdog {
public:
    Watchdog(double seconds, vmm::Vm& vm) {
        if (seconds <= 0) return;
        thread_ = std::thread([this, seconds, &vm] {
            std::unique_lock lock(mutex_);
            auto deadline = std::chrono::steady_clock::now() +
                            std::chrono::duration<double>(seconds);
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
                const std::optional<fdt::Hypervisor>& hypervisor) {
    vmm::load_guest(vm, plan);
    fdt::CompileInputs inputs;
    inputs.hypervisor = hypervisor;
    if (plan.initrd) {
        inputs.initrd_start = plan.initrd->address;
        inputs.initrd_end = plan.initrd->end();
    }
    vm.dtb = fdt::compile(vm.machine, inputs);
    vmm::place_dtb(vm, vm.dtb);
    if (!opts.dtb_out.empty())
        write_atomically(opts.dtb_out, std::string_view(reinterpret_cast<const char*>(vm.dtb.data()), vm.dtb.size()),
                         "--dtb-out");
}

// The engine `--accel` asks for, with what it needs kept alive beside it.
struct ChosenEngine {
    std::unique_ptr<kvm::KvmApi> kvm_api; // outlives the engine that issues its calls
    std::unique_ptr<vmm::Engine> engine;
    std::optional<fdt::Hypervisor> hypervisor; // the /hypervisor node under KVM
};

// kvm: this host must have /dev/kvm and an e500mc-class core; auto: KVM
// when it has both, the built-in emulator otherwise. Prints why and returns
// nullopt when the requested engine cannot run here.
std::optional<ChosenEngine> choose_engine(vmm::Vm& vm, const UpOptions& opts) {
    ChosenEngine chosen;
    bool use_kvm = false;
    if (opts.accel != "emu") {
        const kvm::HostCheck host = kvm::check_host();
        use_kvm = host.usable();
        if (opts.accel == "kvm" && !use_kvm) {
            std::string why;
            for (const auto& missing : host.missing) why += "\n  - " + missing;
            std::fprintf(stderr, "vmcompose: --accel kvm: this host cannot run KVM guests:%s\n"
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
            chosen.engine = std::move(engine);
        } catch (const kvm::KvmError& e) {
            std::fprintf(stderr, "vmcompose: KVM: %s\n", e.what());
            return std::nullopt;
        }
        return chosen;
    }
    emu::EmuOptions emu_options;
    if (opts.trace.rfind("exec", 0) == 0)
        emu_options.trace_exec_path = opts.trace.size() > 5 ? opts.trace.substr(5) : "vmcompose-exec.trace";
    chosen.engine = emu::create_engine(vm, emu_options);
    return chosen;
}

int run_up(const UpOptions& opts) {
    config::Diagnostics diagnostics;
    auto machine = config::load_machine({opts.file, opts.sets}, diagnostics);
    config::print_diagnostics(diagnostics, stderr);
    if (!machine) return kExitInvalid;

    vmm::BootPlan plan = vmm::plan_boot(*machine);
    vmm::VmOptions vm_options;
    vm_options.clock = opts.icount ? vmm::Clock::Mode::Instructions : vmm::Clock::Mode::RealTime;
    auto vm = vmm::build(*machine, vm_options);

    auto chosen = choose_engine(*vm, opts);
    if (!chosen) return kExitUsage;
    vmm::Engine* engine = chosen->engine.get();
    vm->cpu_starter = engine;

    Watchdog watchdog(opts.timeout_seconds, *vm);
    for (;;) {
        boot_guest(*vm, plan, opts, chosen->hypervisor);
        engine->reset();
        engine->run();
        if (vm->control.stop_requested()) break;
        if (vm->control.take_reset_request()) {
            if (machine->on_reset == model::ResetPolicy::Exit) {
                vm->control.request_stop(vmm::ExitReason::Reset, "guest requested a reset");
                break;
            }
            if (opts.verbose) std::fprintf(stderr, "vmcompose: guest reset, restarting\n");
            for (auto& device : vm->devices) device->reset();
            continue;
        }
    }

    vmm::ExitReason reason = vm->control.reason();
    if (reason == vmm::ExitReason::Fatal || reason == vmm::ExitReason::Error ||
        (reason == vmm::ExitReason::Timeout && opts.verbose))
        std::fprintf(stderr, "vmcompose: %s\n%s", vm->control.message().c_str(),
                     engine->dump_state().c_str());
    else if (opts.verbose || reason == vmm::ExitReason::Timeout)
        std::fprintf(stderr, "vmcompose: %s\n",
                     vm->control.message().empty() ? "guest stopped" : vm->control.message().c_str());
    return vmm::exit_status(reason);
}

} // namespace

void add_up_command(CLI::App& app, Action& action) {
    auto opts = std::make_shared<UpOptions>();
    auto* cmd = app.add_subcommand("up", "Validate, compile and boot a machine");
    cmd->add_option("file", opts->file, "Machine file (YAML)")->required();
    config::add_set_option(*cmd, opts->sets);
    cmd->add_option("--timeout", opts->timeout_seconds, "Stop the guest after SECONDS (exit status 5)");
    cmd->add_flag("--icount", opts->icount,
                  "Deterministic clock: guest time advances by instructions executed");
    cmd->add_flag("-v,--verbose", opts->verbose, "Report what vmcompose does on stderr");
    cmd->add_option("--dtb-out", opts->dtb_out, "Save the device tree the guest booted with");
    cmd->add_option("--trace", opts->trace, "exec[=FILE]: per-instruction trace");
    cmd->add_option("--accel", opts->accel, "Engine: auto, emu or kvm")
        ->check(CLI::IsMember({"auto", "emu", "kvm"}));
    cmd->callback([&action, opts] { action = [opts] { return run_up(*opts); }; });
}

} // namespace vmc::cli
