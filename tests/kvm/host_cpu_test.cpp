// The host core's values under KVM: read from a fake /proc tree, fed to the
// FDT compiler, and reported by the engine with the PVR the kernel gives.
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

#include "config/device_config.hpp"
#include "engine/kvm/host_cpu.hpp"
#include "engine/kvm/kvm_engine.hpp"
#include "fake_host.hpp"
#include "fdt/compile.hpp"
#include "fdt/dts.hpp"
#include "stand_in_kvm.hpp"
#include "vmm/vm.hpp"

namespace fs = std::filesystem;
using namespace vmc;

namespace {

using kvm::test::FakeHost;

using kvm::test::kE5500Cpuinfo;

model::Machine small_machine() {
    model::Machine m;
    m.name = "hostcpu";
    m.cpus = m.max_cpus = 2;
    m.memory = {0, 64ull << 20};
    model::Device mpic;
    mpic.name = "mpic";
    mpic.type = "fsl-mpic";
    mpic.address = 0xfe0040000;
    mpic.size = 0x40000;
    mpic.props = {{"version", "2.0"}};
    m.devices.push_back(mpic);
    m.interrupt_controller = "mpic";
    return config::configured(std::move(m));
}

} // namespace

TEST_CASE("host CPU frequencies come from the host's device tree first", "[kvm][host-cpu]") {
    FakeHost host;
    host.cpuinfo(kE5500Cpuinfo);
    host.cell("PowerPC,e5500@1", "clock-frequency", 1'000'000'000);
    host.cell("PowerPC,e5500@0", "clock-frequency", 1'400'000'000);
    host.cell("PowerPC,e5500@0", "timebase-frequency", 87'500'000);
    fs::create_directories(host.root / "proc/device-tree/cpus/l2-cache-controller");

    kvm::HostCpuSource read = kvm::read_host_cpu(host.root);
    // The first cpu node by name, not /proc/cpuinfo's rounded values.
    CHECK(read.cpu.clock_frequency == 1'400'000'000);
    CHECK(read.cpu.timebase_frequency == 87'500'000);
    CHECK(read.clock_from == "/proc/device-tree/cpus/PowerPC,e5500@0/clock-frequency");
    CHECK(read.timebase_from == "/proc/device-tree/cpus/PowerPC,e5500@0/timebase-frequency");
    CHECK(read.core == "e5500");
    CHECK(read.pvr == 0x80241020);
}

TEST_CASE("host CPU frequencies fall back to /proc/cpuinfo", "[kvm][host-cpu]") {
    FakeHost host;
    host.cpuinfo(kE5500Cpuinfo);
    kvm::HostCpuSource read = kvm::read_host_cpu(host.root);
    CHECK(read.cpu.clock_frequency == 1'200'000'000);
    CHECK(read.cpu.timebase_frequency == 75'000'000);
    CHECK(read.clock_from == "/proc/cpuinfo clock");
    CHECK(read.timebase_from == "/proc/cpuinfo timebase");
}

TEST_CASE("a host without CPU frequencies is refused, naming where it looked", "[kvm][host-cpu]") {
    FakeHost host;
    host.cpuinfo("processor\t: 0\nmodel name\t: Intel(R) Xeon(R)\n");
    CHECK_THROWS_WITH(kvm::read_host_cpu(host.root),
                      Catch::Contains("clock frequency and timebase frequency") &&
                          Catch::Contains("proc/device-tree/cpus") &&
                          Catch::Contains("proc/cpuinfo"));
}

TEST_CASE("the device tree's cpus carry the host core's frequencies", "[kvm][host-cpu][fdt]") {
    model::Machine m = small_machine();
    fdt::CompileInputs inputs;
    std::string model_dts = fdt::to_dts(fdt::compile(m, inputs));
    CHECK(model_dts.find("timebase-frequency = <0x17d78400>") != std::string::npos); // 400 MHz

    inputs.host_cpu = fdt::HostCpu{1'200'000'000, 87'500'000};
    std::string host_dts = fdt::to_dts(fdt::compile(m, inputs));
    INFO(host_dts);
    // Both cpu nodes, under the machine's node name (QEMU keeps its own too).
    CHECK(host_dts.find("PowerPC,e500mc@0") != std::string::npos);
    CHECK(host_dts.find("PowerPC,e500mc@1") != std::string::npos);
    size_t first = host_dts.find("timebase-frequency = <0x53724e0>");
    CHECK(first != std::string::npos);
    CHECK(host_dts.find("timebase-frequency = <0x53724e0>", first + 1) != std::string::npos);
    CHECK(host_dts.find("clock-frequency = <0x47868c00>") != std::string::npos);
    CHECK(host_dts.find("<0x17d78400>") == std::string::npos); // no cpu keeps the model's 400 MHz
}

TEST_CASE("the engine reports the host core with the PVR the kernel gives", "[kvm][host-cpu]") {
    FakeHost host;
    host.cpuinfo("processor\t: 0\ncpu\t\t: e5500\ntimebase\t: 75000000\n");
    host.cell("PowerPC,e5500@0", "clock-frequency", 1'400'000'000);
    kvm::test::HostKernel kernel_host;
    kernel_host.cpu.pvr = 0x80241021;
    model::Machine m = small_machine();
    vmm::Vm vm(m, {});
    kvm::test::StandInKvm kernel(kernel_host);
    auto engine = kvm::create_engine(vm, kernel, {host.root});
    kvm::HostCpuSource cpu = engine->host_cpu();
    CHECK(cpu.pvr == 0x80241021); // the kernel's word, over /proc/cpuinfo's
    CHECK(cpu.core == "e5500");
    CHECK(cpu.cpu.clock_frequency == 1'400'000'000);
    CHECK(cpu.cpu.timebase_frequency == 75'000'000);
}
