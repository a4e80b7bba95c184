// The platform devices driven through their registers the way Linux does.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <unistd.h>

#include "config/device_config.hpp"
#include "devices/mpic/mpic.hpp"
#include "devices/ns16550/ns16550.hpp"
#include "vmm/build.hpp"

using namespace vmc;

namespace {

model::Device device(std::string name, std::string type, uint64_t address, uint64_t size,
                     std::optional<uint32_t> irq = {},
                     nlohmann::json props = nlohmann::json::object()) {
    model::Device d;
    d.name = std::move(name);
    d.type = std::move(type);
    d.address = address;
    d.size = size;
    if (irq) d.irq = model::Irq{*irq, model::IrqSense::LevelHigh};
    d.props = std::move(props);
    return config::configured(std::move(d));
}

// The ppce500 board's platform devices, with the serial console in a file.
model::Machine board(const std::string& console, unsigned cpus = 1) {
    model::Machine m;
    m.cpus = cpus;
    m.max_cpus = 4;
    m.memory = {0, 64 << 20};
    m.interrupt_controller = "mpic";
    m.spin_table = {0xf'ef00'0000ull, 0x20};
    m.devices.push_back(
        device("serial0", "ns16550", 0xf'e000'4500ull, 0x100, 42, {{"console", console}}));
    m.devices.push_back(device("mpic", "fsl-mpic", 0xf'e004'0000ull, 0x40000));
    m.devices.push_back(device("guts", "fsl-guts", 0xf'e00e'0000ull, 0x1000));
    m.devices.push_back(device("gpio0", "mpc8xxx-gpio", 0xf'e00f'f000ull, 0x1000, 47));
    m.devices.push_back(
        device("power-off", "gpio-poweroff", 0, 0, {}, {{"controller", "gpio0"}, {"pin", 0}}));
    return m;
}

struct Bus {
    vmm::Vm& vm;
    uint32_t r32(uint64_t a) {
        uint64_t v = 0;
        REQUIRE(vm.bus.read(a, 4, v));
        return static_cast<uint32_t>(v);
    }
    uint8_t r8(uint64_t a) {
        uint64_t v = 0;
        REQUIRE(vm.bus.read(a, 1, v));
        return static_cast<uint8_t>(v);
    }
    void w32(uint64_t a, uint32_t v) { REQUIRE(vm.bus.write(a, 4, v)); }
    void w8(uint64_t a, uint8_t v) { REQUIRE(vm.bus.write(a, 1, v)); }
};

std::string temp_path(const char* tag) {
    return "/tmp/vmc-test-" + std::to_string(getpid()) + "-" + tag;
}

std::string slurp(const std::string& path) {
    std::ifstream f(path);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

constexpr uint64_t kUart = 0xf'e000'4500ull;
constexpr uint64_t kMpic = 0xf'e004'0000ull;

} // namespace

TEST_CASE("build creates the interrupt controller first and maps every device") {
    auto m = board("null");
    auto vm = vmm::build(m, {});
    REQUIRE(vm->devices.size() == 6); // five devices + the spin table
    CHECK(vm->devices.front()->name() == "mpic");
    CHECK(vm->interrupt_ack != nullptr);
    CHECK(vm->bus.find(kUart) != nullptr);
    CHECK(vm->bus.find(0xf'ef00'0000ull)->name == "spin-table");
    CHECK(vmm::phase_of(m.devices[4], m) == vmm::BuildPhase::Devices);
}

TEST_CASE("ns16550 passes the 8250 autoconfig probe and transmits to its console") {
    std::string out = temp_path("uart");
    auto vm = vmm::build(board("file:" + out), {});
    Bus bus{*vm};
    // scratch register
    bus.w8(kUart + 7, 0xa5);
    CHECK(bus.r8(kUart + 7) == 0xa5);
    // loopback: MCR OUT2|OUT1|RTS|DTR|LOOP -> MSR DCD|RI|CTS|DSR
    bus.w8(kUart + 4, 0x1f);
    CHECK((bus.r8(kUart + 6) & 0xf0) == 0xf0);
    bus.w8(kUart + 4, 0x10);
    CHECK((bus.r8(kUart + 6) & 0xf0) == 0x00);
    // loopback data comes back in RBR
    bus.w8(kUart + 0, 'Q');
    CHECK((bus.r8(kUart + 5) & 0x01) == 0x01);
    CHECK(bus.r8(kUart + 0) == 'Q');
    bus.w8(kUart + 4, 0x0b);
    // FIFO enabled: IIR reports 0xc0
    bus.w8(kUart + 2, 0x07);
    CHECK((bus.r8(kUart + 2) & 0xc0) == 0xc0);
    // divisor latch
    bus.w8(kUart + 3, 0x83);
    bus.w8(kUart + 0, 0x12);
    bus.w8(kUart + 1, 0x34);
    CHECK(bus.r8(kUart + 0) == 0x12);
    CHECK(bus.r8(kUart + 1) == 0x34);
    bus.w8(kUart + 3, 0x03);
    for (char c : std::string("hello\n"))
        bus.w8(kUart + 0, static_cast<uint8_t>(c));
    CHECK((bus.r8(kUart + 5) & 0x60) == 0x60);
    vm.reset(); // closes the file
    CHECK(slurp(out) == "hello\n");
    unlink(out.c_str());
}

TEST_CASE("ns16550 raises its MPIC source for received data and THR empty") {
    auto vm = vmm::build(board("null"), {});
    Bus bus{*vm};
    auto* uart = dynamic_cast<devices::ns16550::Uart*>(vm->find_device("serial0"));
    REQUIRE(uart);
    // MPIC: source 42 level, priority 5, vector 42, to CPU 0; core-interrupt mode
    bus.w32(kMpic + 0x1020, 0x60000000);
    bus.w32(kMpic + 0x10000 + 42 * 0x20, 0x00c5002a);
    bus.w32(kMpic + 0x10000 + 42 * 0x20 + 0x10, 1);
    bus.w32(kMpic + 0x20080, 0);
    bus.w8(kUart + 1, 0x01); // IER: receive data
    CHECK_FALSE(vm->cpu_inputs[0]->external);
    const uint8_t in[] = {'x'};
    uart->receive(in);
    CHECK(vm->cpu_inputs[0]->external);
    CHECK((bus.r8(kUart + 2) & 0x0f) == 0x04);
    CHECK(vm->interrupt_ack->acknowledge(0) == 42);
    CHECK(bus.r8(kUart + 0) == 'x');
    bus.w32(kMpic + 0x200b0, 0); // EOI
    CHECK_FALSE(vm->cpu_inputs[0]->external);
    bus.w8(kUart + 1, 0x02); // IER: THR empty -> interrupt at once
    CHECK(vm->cpu_inputs[0]->external);
    CHECK((bus.r8(kUart + 2) & 0x0f) == 0x02); // reading IIR clears it
    CHECK_FALSE(vm->cpu_inputs[0]->external);
}

TEST_CASE(
    "MPIC arbitrates by priority, masks, nests in-service interrupts and honours task priority") {
    auto vm = vmm::build(board("null"), {});
    Bus bus{*vm};
    CHECK((bus.r32(kMpic + 0x1000) >> 16) == 255); // FRR: last source
    CHECK(bus.r32(kMpic + 0x0) == 0x00400402);     // BRR1: revision 4.2, as QEMU reports
    bus.w32(kMpic + 0x1020, 0x80000000);           // reset
    CHECK(bus.r32(kMpic + 0x1020) == 0);
    CHECK((bus.r32(kMpic + 0x10000 + 3 * 0x20) & 0x80000000) != 0); // masked after reset
    bus.w32(kMpic + 0x10e0, 0xff);                                  // spurious vector
    auto src = [&](unsigned n, uint32_t vpr) {
        bus.w32(kMpic + 0x10000 + n * 0x20, vpr);
        bus.w32(kMpic + 0x10000 + n * 0x20 + 0x10, 1);
    };
    src(3, 0x00c30033); // level, priority 3, vector 0x33
    src(7, 0x00c70077); // level, priority 7, vector 0x77
    src(9, 0x00090099); // edge, priority 9, vector 0x99, masked later
    bus.w32(kMpic + 0x20080, 0);
    vm->irq.set(3, true);
    vm->irq.set(7, true);
    CHECK(bus.r32(kMpic + 0x200a0) == 0x77);     // IACK: highest first
    CHECK(vm->cpu_inputs[0]->external == false); // 3 < 7 in service
    vm->irq.set(9, true);                        // edge, priority 9 preempts
    CHECK(vm->cpu_inputs[0]->external);
    CHECK(bus.r32(kMpic + 0x200a0) == 0x99);
    vm->irq.set(9, false);
    bus.w32(kMpic + 0x200b0, 0); // EOI 9
    bus.w32(kMpic + 0x200b0, 0); // EOI 7; 7 is level and still asserted
    CHECK(vm->cpu_inputs[0]->external);
    bus.w32(kMpic + 0x20080, 8); // task priority 8 hides 7 and 3
    CHECK_FALSE(vm->cpu_inputs[0]->external);
    CHECK(bus.r32(kMpic + 0x200a0) == 0xff); // spurious
    bus.w32(kMpic + 0x20080, 0);
    vm->irq.set(7, false);
    CHECK(bus.r32(kMpic + 0x200a0) == 0x33);
    bus.w32(kMpic + 0x200b0, 0);
    bus.w32(kMpic + 0x10000 + 3 * 0x20, 0x80c30033); // mask
    CHECK_FALSE(vm->cpu_inputs[0]->external);
    // edge latched while masked is delivered once unmasked
    bus.w32(kMpic + 0x10000 + 9 * 0x20, 0x80090099);
    vm->irq.set(9, true);
    vm->irq.set(9, false);
    CHECK_FALSE(vm->cpu_inputs[0]->external);
    bus.w32(kMpic + 0x10000 + 9 * 0x20, 0x00090099);
    CHECK(vm->cpu_inputs[0]->external);
}

TEST_CASE("MPIC IPIs reach the CPUs named in the dispatch register") {
    auto vm = vmm::build(board("null", 2), {});
    Bus bus{*vm};
    bus.w32(kMpic + 0x10a0, 0x000e00f0); // IPI 0: priority 14, vector 0xf0
    bus.w32(kMpic + 0x20080, 0);
    bus.w32(kMpic + 0x21080, 0);
    bus.w32(kMpic + 0x20040, 0x2); // CPU 0 sends IPI 0 to CPU 1
    CHECK_FALSE(vm->cpu_inputs[0]->external);
    CHECK(vm->cpu_inputs[1]->external);
    CHECK(bus.r32(kMpic + 0x210a0) == 0xf0);
    CHECK(bus.r32(kMpic + 0x21090) == 1); // WHOAMI
}

TEST_CASE("MPIC core-interrupt acknowledge only acts in core-interrupt mode") {
    auto vm = vmm::build(board("null"), {});
    Bus bus{*vm};
    bus.w32(kMpic + 0x10000 + 5 * 0x20, 0x00c50055);
    bus.w32(kMpic + 0x10000 + 5 * 0x20 + 0x10, 1);
    bus.w32(kMpic + 0x20080, 0);
    vm->irq.set(5, true);
    CHECK(vm->interrupt_ack->acknowledge(0) == 0); // mixed mode: the guest reads IACK
    CHECK(vm->cpu_inputs[0]->external);
    bus.w32(kMpic + 0x1020, 0x60000000);
    CHECK(vm->interrupt_ack->acknowledge(0) == 0x55);
    CHECK_FALSE(vm->cpu_inputs[0]->external);
}

TEST_CASE("MPIC global timer fires at its base count on guest time") {
    vmm::VmOptions opts;
    opts.clock = vmm::Clock::Mode::Instructions;
    auto vm = vmm::build(board("null"), opts);
    Bus bus{*vm};
    uint32_t freq = bus.r32(kMpic + 0x10f0);
    REQUIRE(freq == 50'000'000); // timebase / 8
    bus.w32(kMpic + 0x1120, 0x00080077);
    bus.w32(kMpic + 0x1130, 1);
    bus.w32(kMpic + 0x20080, 0);
    bus.w32(kMpic + 0x1110, 5000); // 100 us
    vm->clock.advance(99'000);
    vm->timers.run_due(vm->clock.now_ns());
    CHECK_FALSE(vm->cpu_inputs[0]->external);
    CHECK((bus.r32(kMpic + 0x1100) & 0x7fffffff) == 50);
    vm->clock.advance(1'000);
    vm->timers.run_due(vm->clock.now_ns());
    CHECK(vm->cpu_inputs[0]->external);
    CHECK(bus.r32(kMpic + 0x200a0) == 0x77);
}

TEST_CASE("driving GPIO pin 0 high powers the machine off") {
    auto vm = vmm::build(board("null"), {});
    Bus bus{*vm};
    bus.w32(0xf'e00f'f008ull, 0x80000000); // data before direction: not an output yet
    CHECK_FALSE(vm->control.stop_requested());
    bus.w32(0xf'e00f'f000ull, 0x80000000); // GPDIR: pin 0 output
    CHECK(vm->control.reason() == vmm::ExitReason::PowerOff);
    CHECK(vmm::exit_status(vm->control.reason()) == 0);
}

TEST_CASE("writing RSTCR asks for a machine reset") {
    auto vm = vmm::build(board("null"), {});
    Bus bus{*vm};
    bus.w32(0xf'e00e'00b0ull, 0x2);
    CHECK(vm->control.take_reset_request());
    CHECK(bus.r32(0xf'e00e'00a0ull) == model::CpuModel{}.pvr);
}
