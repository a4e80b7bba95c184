// vmcompose dtb: the device tree a machine's guest boots with, without
// booting it. The initrd range in /chosen is where `up` puts the initrd.
#include <cstdio>
#include <fstream>
#include <memory>
#include <unistd.h>

#include <fmt/format.h>

#include "cli/atomic_file.hpp"
#include "cli/commands.hpp"
#include "config/load.hpp"
#include "engine/kvm/host_cpu.hpp"
#include "fdt/compile.hpp"
#include "fdt/dts.hpp"
#include "vmm/boot_plan.hpp"

namespace vmc::cli {

namespace {

struct DtbOptions {
    std::string file;
    std::vector<std::string> sets;
    std::string output;
    std::string format = "dtb";
    std::string accel = "emu";
};

int run_dtb(const DtbOptions& opts) {
    config::Diagnostics diagnostics;
    auto machine = config::load_machine({opts.file, opts.sets}, diagnostics);
    config::print_diagnostics(diagnostics, stderr);
    if (!machine) return kExitInvalid;

    fdt::CompileInputs inputs;
    if (!machine->boot.kernel.empty()) {
        vmm::BootPlan plan = vmm::plan_boot(*machine);
        if (plan.initrd) {
            inputs.initrd_start = plan.initrd->address;
            inputs.initrd_end = plan.initrd->end();
        }
    }
    if (opts.accel == "kvm") {
        // The tree `up --accel kvm` would give this host's core. The
        // /hypervisor node needs the host's KVM and is left out.
        try {
            inputs.host_cpu = kvm::read_host_cpu().cpu;
        } catch (const std::runtime_error& e) {
            std::fprintf(stderr, "vmcompose: dtb --accel kvm: %s\n", e.what());
            return kExitUsage;
        }
        std::fprintf(stderr,
                     "vmcompose: dtb --accel kvm: cpu clock and timebase frequencies are this "
                     "host's; no /hypervisor node (it comes from the host's KVM at `up`)\n");
    }
    std::vector<uint8_t> blob = fdt::compile(*machine, inputs);
    std::string bytes =
        opts.format == "dts" ? fdt::to_dts(blob) : std::string(blob.begin(), blob.end());

    if (!opts.output.empty() && opts.output != "-") {
        write_atomically(opts.output, bytes, "-o");
        return kExitOk;
    }
    if (opts.format == "dtb" && isatty(STDOUT_FILENO)) {
        std::fprintf(stderr,
                     "vmcompose: dtb: refusing to write a binary device tree to a terminal; "
                     "use -o FILE or --format dts\n");
        return kExitUsage;
    }
    std::fwrite(bytes.data(), 1, bytes.size(), stdout);
    return std::fflush(stdout) == 0 ? kExitOk : kExitInvalid;
}

} // namespace

void add_dtb_command(CLI::App& app, Action& action) {
    auto opts = std::make_shared<DtbOptions>();
    auto* cmd = app.add_subcommand("dtb", "Compile a machine file into its device tree");
    cmd->add_option("file", opts->file, "Machine file (YAML)")->required();
    config::add_set_option(*cmd, opts->sets);
    cmd->add_option("-o,--output", opts->output, "Write to FILE (default: standard output)");
    cmd->add_option("--format", opts->format, "dtb (default) or dts")
        ->check(CLI::IsMember({"dtb", "dts"}));
    cmd->add_option("--accel", opts->accel,
                    "emu (default): the machine's cpu values; kvm: this host's cpu clock and "
                    "timebase frequencies, as `up --accel kvm` uses them")
        ->check(CLI::IsMember({"emu", "kvm"}));
    cmd->callback([&action, opts] { action = [opts] { return run_dtb(*opts); }; });
}

} // namespace vmc::cli
