// MMIO devices: random register access sequences to the MPIC, the ns16550,
// GUTS and the GPIO controller (with gpio-poweroff on a pin), interleaved
// with guest time passing, interrupt acknowledges and per-CPU bank
// switches. Absurd vectors, destinations and timer counts must leave the
// VMM standing.
#include <cstdint>
#include <memory>

#include "config/device_config.hpp"
#include "fuzz_input.hpp"
#include "vmm/build.hpp"

namespace {

using namespace vmc;

constexpr size_t kMaxOperations = 4096;
constexpr uint64_t kCcsr = 0xf'e000'0000ull;

struct Window {
    uint64_t base;
    uint64_t size;
};
constexpr Window kWindows[] = {
    {kCcsr + 0x40000, 0x40000}, // fsl-mpic
    {kCcsr + 0x4500, 0x100},    // ns16550
    {kCcsr + 0xe0000, 0x1000},  // fsl-guts
    {kCcsr + 0xff000, 0x1000},  // mpc8xxx-gpio
};

model::Device device(const char* name, const char* type, Window w, nlohmann::json props) {
    model::Device d;
    d.name = name;
    d.type = type;
    d.address = w.base;
    d.size = w.size;
    d.props = std::move(props);
    return config::configured(std::move(d));
}

model::Machine machine() {
    model::Machine m;
    m.name = "fuzz";
    m.cpus = 2;
    m.max_cpus = 2;
    m.memory = {0, 1 << 20};
    m.cpu.pvr = 0x80230020;
    m.cpu.svr = 0x80390030;
    m.interrupt_controller = "mpic";
    m.devices.push_back(device("mpic", "fsl-mpic", kWindows[0], nlohmann::json::object()));
    m.devices.push_back(device("serial0", "ns16550", kWindows[1], {{"console", "null"}}));
    m.devices.back().irq = model::Irq{42, model::IrqSense::LevelHigh};
    m.devices.push_back(device("guts", "fsl-guts", kWindows[2], nlohmann::json::object()));
    m.devices.push_back(device("gpio0", "mpc8xxx-gpio", kWindows[3], nlohmann::json::object()));
    m.devices.back().irq = model::Irq{47, model::IrqSense::LevelHigh};
    m.devices.push_back(device("power-off", "gpio-poweroff", {0, 0}, {{"controller", "gpio0"}}));
    return m;
}

void run_operation(vmm::Vm& vm, fuzz::Input& in) {
    uint8_t op = in.u8();
    switch (op % 5) {
    case 0:
    case 1: { // a register access; the offset may straddle the end of the window
        const Window& w = kWindows[in.u8() % 4];
        unsigned width = fuzz::access_width(in.u8());
        uint64_t at = w.base + in.u32() % w.size;
        uint64_t value = 0;
        if (op % 5 == 0)
            (void)vm.bus.write(at, width, in.u64());
        else
            (void)vm.bus.read(at, width, value);
        break;
    }
    case 2: // guest time passes; device timers fire
        vm.clock.advance(in.u32());
        vm.timers.run_due(vm.clock.now_ns());
        break;
    case 3:
        vm.current_cpu = in.u8() % 2;
        break;
    case 4: // the core takes an external interrupt (core-interrupt mode acknowledge)
        if (vm.interrupt_ack) (void)vm.interrupt_ack->acknowledge(in.u8() % 2);
        break;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::Input in(data, size);
    model::Machine m = machine();
    vmm::VmOptions options;
    options.clock = vmm::Clock::Mode::Instructions;
    auto vm = vmm::build(m, options);
    for (size_t n = 0; n < kMaxOperations && !in.empty(); ++n)
        run_operation(*vm, in);
    return 0;
}
