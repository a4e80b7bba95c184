// mpc8xxx-gpio registers (big-endian pin numbering) and gpio-poweroff
// ending the VM the way Linux's gpio-poweroff driver drives the line.
#include <catch2/catch.hpp>

#include "config/device_config.hpp"
#include "devices/gpio/gpio.hpp"
#include "vmm/build.hpp"

using namespace vmc;

namespace {

constexpr uint64_t kGpio = 0xf'e00f'f000ull;
enum : uint64_t {
    GPDIR = 0x00,
    GPODR = 0x04,
    GPDAT = 0x08,
    GPIER = 0x0c,
    GPIMR = 0x10,
    GPICR = 0x14
};

model::Device make(std::string name, std::string type, uint64_t at, uint64_t size,
                   nlohmann::json props) {
    model::Device d;
    d.name = std::move(name);
    d.type = std::move(type);
    d.address = at;
    d.size = size;
    d.props = std::move(props);
    return config::configured(std::move(d));
}

model::Machine machine(nlohmann::json poweroff_props) {
    model::Machine m;
    m.memory = {0, 1 << 20};
    m.devices.push_back(make("power-off", "gpio-poweroff", 0, 0, std::move(poweroff_props)));
    m.devices.push_back(make("gpio0", "mpc8xxx-gpio", kGpio, 0x1000, nlohmann::json::object()));
    m.devices.back().irq = model::Irq{47, model::IrqSense::LevelHigh};
    return m;
}

struct LevelSink : vmm::IrqSink {
    bool level = false;
    void set_irq(uint32_t, bool l) override { level = l; }
};

struct Rig {
    model::Machine m;
    std::unique_ptr<vmm::Vm> vm;
    explicit Rig(nlohmann::json props) : m(machine(std::move(props))), vm(vmm::build(m, {})) {}
    void w(uint64_t reg, uint32_t v) { REQUIRE(vm->bus.write(kGpio + reg, 4, v)); }
    uint32_t r(uint64_t reg) {
        uint64_t v = 0;
        REQUIRE(vm->bus.read(kGpio + reg, 4, v));
        return static_cast<uint32_t>(v);
    }
};

} // namespace

TEST_CASE("gpio-poweroff: Linux requests the line inactive, then drives it active to power off") {
    Rig rig({{"controller", "gpio0"}, {"pin", 3}});
    // gpiod_get(GPIOD_OUT_LOW): data low, then direction out
    rig.w(GPDAT, 0);
    rig.w(GPDIR, 0x10000000);
    CHECK_FALSE(rig.vm->control.stop_requested());
    rig.w(GPDAT, 0x40000000); // another pin: not ours
    CHECK_FALSE(rig.vm->control.stop_requested());
    rig.w(GPDAT, 0x10000000); // pin 3 high: power off
    CHECK(rig.vm->control.reason() == vmm::ExitReason::PowerOff);
    CHECK(vmm::exit_status(rig.vm->control.reason()) == 0);
}

TEST_CASE("gpio-poweroff with an active-low line powers off on the falling edge") {
    Rig rig({{"controller", "gpio0"}, {"pin", 0}, {"active-low", true}});
    rig.w(GPDAT, 0x80000000); // inactive = high
    rig.w(GPDIR, 0x80000000);
    CHECK_FALSE(rig.vm->control.stop_requested());
    rig.w(GPDAT, 0);
    CHECK(rig.vm->control.reason() == vmm::ExitReason::PowerOff);
}

TEST_CASE("gpio-poweroff refuses a pin or controller the machine does not have") {
    auto bad_pin = machine({{"controller", "gpio0"}, {"pin", 40}});
    REQUIRE_THROWS_WITH(vmm::build(bad_pin, {}),
                        Catch::Contains("power-off") && Catch::Contains("40"));
    auto bad_controller = machine({{"controller", "gpio9"}, {"pin", 0}});
    REQUIRE_THROWS_WITH(vmm::build(bad_controller, {}), Catch::Contains("gpio9"));
}

TEST_CASE("GPIO inputs latch edges in GPIER, raise the irq when unmasked, and clear on write-1") {
    LevelSink sink;
    vmm::IrqRouter router;
    router.connect(&sink);
    devices::gpio::Config config{{"fsl,qoriq-gpio"}, 32};
    devices::gpio::Controller gpio("gpio0", config, vmm::IrqLine(&router, 47));
    gpio.mmio_write(GPIMR, 0x00800000, 4); // pin 8 unmasked
    gpio.set_input(8, true);               // rising edge, any-edge mode
    CHECK(gpio.mmio_read(GPIER, 4) == 0x00800000);
    CHECK(gpio.mmio_read(GPDAT, 4) == 0x00800000);
    CHECK(sink.level);
    gpio.mmio_write(GPIER, 0x00800000, 4);
    CHECK_FALSE(sink.level);
    gpio.mmio_write(GPICR, 0x00800000, 4); // falling edges only
    gpio.set_input(8, true);
    gpio.set_input(8, false);
    gpio.set_input(8, true);
    CHECK(gpio.mmio_read(GPIER, 4) == 0x00800000); // just the falling one
    gpio.mmio_write(GPIER, 0xffffffff, 4);
    gpio.mmio_write(GPIMR, 0, 4);
    gpio.set_input(8, false);
    CHECK_FALSE(sink.level); // latched but masked
}

TEST_CASE("GPIO outputs read back their latch and notify only on change; open-drain is kept") {
    devices::gpio::Config config{{"fsl,qoriq-gpio"}, 32};
    devices::gpio::Controller gpio("gpio0", config, {});
    std::vector<bool> seen;
    gpio.on_output(31, [&](bool level) { seen.push_back(level); });
    gpio.mmio_write(GPDIR, 0x00000001, 4);
    gpio.mmio_write(GPDAT, 0x00000001, 4);
    gpio.mmio_write(GPDAT, 0x00000001, 4); // same level: no callback
    gpio.mmio_write(GPDAT, 0x00000000, 4);
    CHECK(seen == std::vector<bool>{true, false});
    gpio.mmio_write(GPODR, 0x00000003, 4);
    CHECK(gpio.mmio_read(GPODR, 4) == 3);
    gpio.reset();
    CHECK(gpio.mmio_read(GPDIR, 4) == 0);
}

TEST_CASE("a GPIO block with fewer pins ignores the ones it does not have") {
    devices::gpio::Config config{{"fsl,qoriq-gpio"}, 8};
    devices::gpio::Controller gpio("gpio0", config, {});
    gpio.mmio_write(GPDIR, 0xffffffff, 4);
    CHECK(gpio.mmio_read(GPDIR, 4) == 0xff000000);
    CHECK_THROWS_AS(gpio.on_output(8, [](bool) {}), std::invalid_argument);
}
