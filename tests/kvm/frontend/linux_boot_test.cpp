// The Linux reference guest booted through the KVM engine against the
// stand-in kernel: the machine file, boot plan and device tree `vmcompose up`
// uses, with every device access outside RAM and the in-kernel MPIC leaving
// KVM_RUN as an MMIO exit.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <thread>

#include "config/load.hpp"
#include "debug/gdb_stub.hpp"
#include "engine/kvm/kvm_engine.hpp"
#include "fdt/compile.hpp"
#include "gdb_client.hpp"
#include "kvm/fake_host.hpp"
#include "kvm/stand_in_kvm.hpp"
#include "vmm/boot_plan.hpp"
#include "vmm/build.hpp"

using namespace vmc;

namespace {

const std::string kLinuxGuestDir = std::string(VMC_SOURCE_DIR) + "/../shared/guest/";

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

struct LinuxRun {
    std::string console;
    vmm::ExitReason reason = vmm::ExitReason::None;
    std::string message;
    unsigned mmio_exits = 0;
    unsigned hypercalls = 0;
    unsigned dropped_irq_lines = 0; // KVM_IRQ_LINE calls the kernel had no route for
};

// The host core: an e500mc whose timebase runs at 50 MHz and clock at 1.2 GHz,
// unlike the model's 400/400 MHz; /proc says the same as the stand-in kernel.
kvm::test::HostKernel e500mc_host(const kvm::test::FakeHost& files) {
    kvm::test::HostKernel host;
    host.cpu.timebase_frequency = 50'000'000;
    host.cpu.clock_frequency = 1'200'000'000;
    files.cpuinfo("processor\t: 0\ncpu\t\t: e500mc\nclock\t\t: 1200.000000MHz\n"
                  "revision\t: 2.0 (pvr 8023 0020)\n\ntimebase\t: 50000000\n");
    files.cell("PowerPC,e500mc@0", "clock-frequency", 1'200'000'000);
    files.cell("PowerPC,e500mc@0", "timebase-frequency", 50'000'000);
    return host;
}

// Boots the reference guest with `cpus` vCPUs on `machine_file` (relative to
// the source tree) with `sets` applied; stops it after `seconds` of host time.
// `attach` runs once the engine exists, before the first instruction (a debugger).
using Attach = std::function<void(vmm::Vm&, kvm::KvmEngine&)>;
LinuxRun boot_linux(unsigned cpus, double seconds,
                    const std::string& machine_file = "tests/guests/machine.yaml",
                    const std::vector<std::string>& sets = {}, const Attach& attach = {}) {
    kvm::test::FakeHost host_files;
    kvm::test::HostKernel host = e500mc_host(host_files);
    config::Diagnostics diagnostics;
    std::vector<std::string> all_sets{
        "kernel=" + kLinuxGuestDir + "vmlinux", "initrd=" + kLinuxGuestDir + "initramfs.cpio",
        "bootargs=console=ttyS0 vmcompose.bench=0 vmcompose.off=poweroff",
        "cpus=" + std::to_string(cpus), "on-reset=exit"};
    all_sets.insert(all_sets.end(), sets.begin(), sets.end());
    auto machine = config::load_machine(
        {std::string(VMC_SOURCE_DIR) + "/" + machine_file, all_sets}, diagnostics);
    if (!machine) config::print_diagnostics(diagnostics, stderr);
    REQUIRE(machine);
    const auto console_path = std::filesystem::temp_directory_path() /
                              ("vmc-kvm-linux-" + std::to_string(::getpid()) + ".log");
    vmm::VmOptions options;
    options.console_override = "file:" + console_path.string();
    options.in_kernel_interrupt_controller = true; // the stand-in kernel's MPIC
    auto vm = vmm::build(*machine, options);

    // The kernel goes before the Vm whose RAM it runs the guest in.
    auto kernel = std::make_unique<kvm::test::StandInKvm>(std::move(host));
    auto engine = kvm::create_engine(*vm, *kernel, {host_files.root});
    vm->cpu_starter = engine.get();

    vmm::BootPlan plan = vmm::plan_boot(*machine);
    vmm::load_guest(*vm, plan);
    fdt::CompileInputs inputs;
    inputs.hypervisor = engine->hypervisor();
    inputs.host_cpu = engine->host_cpu().cpu;
    if (plan.initrd) {
        inputs.initrd_start = plan.initrd->address;
        inputs.initrd_end = plan.initrd->end();
    }
    vm->dtb = fdt::compile(vm->machine, inputs);
    vmm::place_dtb(*vm, vm->dtb);

    vm->timers.schedule(vm->clock.now_ns() + static_cast<uint64_t>(seconds * 1e9), [&vm, seconds] {
        vm->control.request_stop(vmm::ExitReason::Timeout,
                                 "no power-off within " + std::to_string(seconds) + " s");
    });
    if (attach) attach(*vm, *engine);
    engine->reset();
    engine->run();

    LinuxRun result;
    result.reason = vm->control.reason();
    result.message = vm->control.message();
    result.mmio_exits = kernel->mmio_exits;
    result.hypercalls = kernel->hypercalls;
    result.dropped_irq_lines = kernel->dropped_irq_lines;
    engine.reset();
    kernel.reset();
    vm.reset(); // closes the console file
    result.console = read_text(console_path.string());
    std::filesystem::remove(console_path);
    std::erase(result.console, '\r');
    return result;
}

// Each marker after the previous one.
void check_in_order(const std::string& console, const std::vector<std::string>& markers) {
    size_t at = 0;
    for (const auto& marker : markers) {
        size_t found = console.find(marker, at);
        INFO("marker " << marker << " (after offset " << at << ") in the console:\n" << console);
        CHECK(found != std::string::npos);
        if (found == std::string::npos) return;
        at = found;
    }
}

// A symbol's value from a 32-bit big-endian ELF's symbol table, or 0.
uint32_t elf_symbol(const std::string& elf, const std::string& name) {
    auto be32 = [&](size_t at) {
        return at + 4 > elf.size()
                   ? 0u
                   : (uint32_t(uint8_t(elf[at])) << 24) | (uint32_t(uint8_t(elf[at + 1])) << 16) |
                         (uint32_t(uint8_t(elf[at + 2])) << 8) | uint8_t(elf[at + 3]);
    };
    auto be16 = [&](size_t at) {
        return at + 2 > elf.size() ? 0u : (uint32_t(uint8_t(elf[at])) << 8) | uint8_t(elf[at + 1]);
    };
    const uint32_t shoff = be32(32), shentsize = be16(46), shnum = be16(48);
    for (uint32_t n = 0; n < shnum; ++n) {
        const size_t sh = shoff + size_t{n} * shentsize;
        if (be32(sh + 4) != 2) continue; // SHT_SYMTAB
        const size_t symbols = be32(sh + 16), size = be32(sh + 20), entsize = be32(sh + 36);
        const size_t strtab = be32(shoff + size_t{be32(sh + 24)} * shentsize + 16);
        for (size_t at = symbols; entsize && at + entsize <= symbols + size; at += entsize) {
            const size_t str = strtab + be32(at);
            if (elf.compare(str, name.size() + 1, name.c_str(), name.size() + 1) == 0)
                return be32(at + 4);
        }
    }
    return 0;
}

bool guest_present() {
    return std::filesystem::exists(kLinuxGuestDir + "vmlinux") &&
           std::filesystem::exists(kLinuxGuestDir + "initramfs.cpio");
}

} // namespace

TEST_CASE("Linux boots through the KVM engine and the stand-in kernel to power-off",
          "[kvm][linux][e2e]") {
    if (!guest_present()) {
        WARN("reference guest (../shared/guest vmlinux, initramfs.cpio) not present; skipped");
        return;
    }
    LinuxRun run = boot_linux(1, 150);
    INFO(run.message);
    CHECK(run.reason == vmm::ExitReason::PowerOff);
    // The timebase and clock Linux uses are the host's, from the device tree:
    // 50 MHz is 20 ns per tick (mult 20 << 24), and /proc/cpuinfo shows 1.2 GHz.
    check_in_order(run.console,
                   {"Linux version 6.1", "clocksource: timebase mult[14000000] shift[24]",
                    "VMCOMPOSE-GUEST: init started", "e500mc", "clock\t\t: 1200.000000MHz",
                    "timebase\t: 50000000", "VMCOMPOSE-GUEST: powering off (method: poweroff)",
                    "reboot: Power down"});
    CHECK(run.mmio_exits > 1000); // every UART register access left the kernel
    CHECK(run.hypercalls > 0);    // the /hypervisor node led Linux to the kernel's ePAPR calls
}

TEST_CASE("Linux brings its second vCPU up through the spin table under the KVM engine",
          "[kvm][linux][e2e][smp]") {
    if (!guest_present()) {
        WARN("reference guest (../shared/guest vmlinux, initramfs.cpio) not present; skipped");
        return;
    }
    LinuxRun run = boot_linux(2, 150);
    INFO(run.message);
    CHECK(run.reason == vmm::ExitReason::PowerOff);
    check_in_order(run.console, {"Linux version 6.1", "smp: Brought up 1 node, 2 CPUs",
                                 "VMCOMPOSE-GUEST: init started", "processor\t: 0",
                                 "processor\t: 1", "reboot: Power down"});
}

TEST_CASE("Linux reads a virtio disk and writes a virtio console under the KVM engine",
          "[kvm][linux][e2e][virtio]") {
    const std::string disk = kLinuxGuestDir + "measurements/disk.img";
    if (!guest_present() || !std::filesystem::exists(disk)) {
        WARN("reference guest or its disk image (../shared/guest/measurements/disk.img) not "
             "present; skipped");
        return;
    }
    const auto hvc = std::filesystem::temp_directory_path() /
                     ("vmc-kvm-hvc0-" + std::to_string(::getpid()) + ".log");
    LinuxRun run =
        boot_linux(1, 150, "examples/ppce500.yaml",
                   {"devices.disk0.image=" + disk, "devices.hvc0.console=file:" + hvc.string()});
    std::string hvc_text = read_text(hvc.string());
    std::filesystem::remove(hvc);
    INFO(run.message);
    CHECK(run.reason == vmm::ExitReason::PowerOff);
    // Queue notifications leave KVM_RUN as MMIO exits; completions come back
    // through KVM_IRQ_LINE and the engine's GSI routes to the in-kernel MPIC
    // (a line without a route would be dropped and the disk read never end).
    check_in_order(run.console,
                   {"VMCOMPOSE-GUEST: init started", "VMCOMPOSE-GUEST: vda text: VMCOMPOSE-DISK",
                    "VMCOMPOSE-GUEST: wrote a line to /dev/hvc0", "reboot: Power down"});
    CHECK(hvc_text.find("hello on hvc0") != std::string::npos);
    CHECK(run.dropped_irq_lines == 0);
}

TEST_CASE("gdb on Linux under the KVM engine: hardware then software breakpoints in the kernel",
          "[kvm][linux][e2e][debug]") {
    if (!guest_present()) {
        WARN("reference guest (../shared/guest vmlinux, initramfs.cpio) not present; skipped");
        return;
    }
    const std::string vmlinux = read_text(kLinuxGuestDir + "vmlinux");
    const uint32_t start_kernel = elf_symbol(vmlinux, "start_kernel");
    const uint32_t kernel_init = elf_symbol(vmlinux, "kernel_init");
    const uint32_t jiffies = elf_symbol(vmlinux, "jiffies");
    REQUIRE(start_kernel >= 0xc0000000u);
    REQUIRE(kernel_init >= 0xc0000000u);
    REQUIRE(jiffies >= 0xc0000000u);

    // gdb runs on its own thread; its replies are checked once the guest is off.
    std::vector<std::string> replies;
    std::unique_ptr<debug::GdbStub> stub;
    std::thread client;
    auto attach = [&](vmm::Vm&, kvm::KvmEngine& engine) {
        int fds[2];
        REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
        stub = std::make_unique<debug::GdbStub>(*engine.debug_target(), nullptr, [] {});
        stub->connect(fds[0]);
        client = std::thread([&replies, fd = fds[1], start_kernel, kernel_init, jiffies] {
            kvm::test::Client gdb(fd);
            auto ask = [&](const std::string& packet) { replies.push_back(gdb.ask(packet)); };
            ask("qSupported:swbreak+;hwbreak+");
            ask("?");
            // The kernel's addresses are not mapped yet: only an address
            // compare can catch start_kernel; a software breakpoint cannot be placed.
            ask(fmt::format("Z0,{:x},4", start_kernel));
            ask(fmt::format("Z1,{:x},4", start_kernel));
            ask("c");
            replies.push_back(kvm::test::reg(gdb, kvm::test::kPc));
            ask(fmt::format("z1,{:x},4", start_kernel));
            // Now the kernel runs mapped at 0xc0000000: the debug instruction goes in.
            ask(fmt::format("Z0,{:x},4", kernel_init));
            ask("c");
            replies.push_back(kvm::test::reg(gdb, kvm::test::kPc));
            ask(fmt::format("m{:x},4", jiffies));
            ask(fmt::format("z0,{:x},4", kernel_init));
            ask("D");
        });
    };
    LinuxRun run = boot_linux(1, 150, "tests/guests/machine.yaml", {}, attach);
    client.join();
    stub.reset();
    INFO(run.message);
    CHECK(run.reason == vmm::ExitReason::PowerOff);
    REQUIRE(replies.size() == 13);
    CHECK(replies[1] == "T05thread:1;");
    CHECK(replies[2].substr(0, 1) == "E");
    CHECK(replies[3] == "OK");
    CHECK(replies[4] == "T05thread:1;hwbreak:;");
    CHECK(replies[5] == fmt::format("{:08x}", start_kernel));
    CHECK(replies[7] == "OK");
    CHECK(replies[8] == "T05thread:1;swbreak:;");
    CHECK(replies[9] == fmt::format("{:08x}", kernel_init));
    CHECK(replies[10].size() == 8);   // jiffies, read through the kernel's mapping:
    CHECK(replies[10] != "00000000"); // it starts at -300 s worth of ticks, never 0
    CHECK(replies[11] == "OK");
    CHECK(replies[12] == "OK");
    check_in_order(run.console,
                   {"Linux version 6.1", "VMCOMPOSE-GUEST: init started", "reboot: Power down"});
}

TEST_CASE("gdb on two vCPUs under the KVM engine: the secondary's breakpoint names its thread",
          "[kvm][linux][e2e][debug][smp]") {
    if (!guest_present()) {
        WARN("reference guest (../shared/guest vmlinux, initramfs.cpio) not present; skipped");
        return;
    }
    const std::string vmlinux = read_text(kLinuxGuestDir + "vmlinux");
    const uint32_t kernel_init = elf_symbol(vmlinux, "kernel_init");
    const uint32_t start_secondary = elf_symbol(vmlinux, "start_secondary");
    REQUIRE(kernel_init >= 0xc0000000u);
    REQUIRE(start_secondary >= 0xc0000000u);

    std::vector<std::string> replies;
    std::unique_ptr<debug::GdbStub> stub;
    std::thread client;
    auto attach = [&](vmm::Vm&, kvm::KvmEngine& engine) {
        int fds[2];
        REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
        stub = std::make_unique<debug::GdbStub>(*engine.debug_target(), nullptr, [] {});
        stub->connect(fds[0]);
        client = std::thread([&replies, fd = fds[1], kernel_init, start_secondary] {
            kvm::test::Client gdb(fd);
            auto ask = [&](const std::string& packet) { replies.push_back(gdb.ask(packet)); };
            ask("qSupported:swbreak+;hwbreak+");
            ask(fmt::format("Z1,{:x},4", kernel_init)); // before smp_init releases cpu 1
            ask("c");
            ask(fmt::format("z1,{:x},4", kernel_init));
            ask(fmt::format("Z0,{:x},4", start_secondary));
            ask("c");
            ask("Hg2");
            replies.push_back(kvm::test::reg(gdb, kvm::test::kPc));
            ask(fmt::format("z0,{:x},4", start_secondary));
            ask("D");
        });
    };
    LinuxRun run = boot_linux(2, 150, "tests/guests/machine.yaml", {}, attach);
    client.join();
    stub.reset();
    INFO(run.message);
    CHECK(run.reason == vmm::ExitReason::PowerOff);
    REQUIRE(replies.size() == 10);
    CHECK(replies[2] == "T05thread:1;hwbreak:;");
    CHECK(replies[5] == "T05thread:2;swbreak:;"); // vCPU 1 is gdb's thread 2
    CHECK(replies[6] == "OK");
    CHECK(replies[7] == fmt::format("{:08x}", start_secondary));
    CHECK(replies[9] == "OK");
    check_in_order(run.console, {"smp: Brought up 1 node, 2 CPUs", "reboot: Power down"});
}
