// vmm::build on hand-made machines: creation phases, bus mapping, errors.
#include <catch2/catch.hpp>

#include "config/device_config.hpp"
#include "support/machine_yaml.hpp"
#include "vmm/build.hpp"

using namespace vmc;

namespace {

model::Device make(std::string name, std::string type, uint64_t at, uint64_t size,
                   nlohmann::json props = nlohmann::json::object()) {
    model::Device d;
    d.name = std::move(name);
    d.type = std::move(type);
    d.address = at;
    d.size = size;
    d.props = std::move(props);
    return config::configured(std::move(d));
}

// Listed in an order that only works if build() sorts by phase: the
// power-off line before its GPIO controller, the UART before the MPIC.
model::Machine scrambled_board() {
    return testing::machine_from_yaml(R"(vmcompose: 1
cpus: 2
max-cpus: 4
memory: 1M
interrupt-controller: mpic
spin-table: {at: 0xfef000000, entry-size: 0x20}
devices:
  power-off: {type: gpio-poweroff, controller: gpio0, pin: 0}
  serial0: {type: ns16550, at: 0xfe0004500, size: 0x100, irq: 42, console: "null"}
  gpio0: {type: mpc8xxx-gpio, at: 0xfe00ff000, size: 0x1000}
  mpic: {type: fsl-mpic, at: 0xfe0040000, size: 0x40000}
)");
}

std::vector<std::string> names(const vmm::Vm& vm) {
    std::vector<std::string> out;
    for (const auto& d : vm.devices)
        out.push_back(d->name());
    return out;
}

} // namespace

TEST_CASE("phases: interrupt controller, GPIO controllers, then everything else") {
    auto m = scrambled_board();
    CHECK(vmm::phase_of(m.devices[3], m) == vmm::BuildPhase::InterruptController);
    CHECK(vmm::phase_of(m.devices[2], m) == vmm::BuildPhase::GpioControllers);
    CHECK(vmm::phase_of(m.devices[1], m) == vmm::BuildPhase::Devices);
    CHECK(vmm::phase_of(m.devices[0], m) == vmm::BuildPhase::Devices);
}

TEST_CASE("build creates devices in phase order whatever the file order") {
    auto m = scrambled_board();
    auto vm = vmm::build(m, {});
    CHECK(names(*vm) ==
          std::vector<std::string>{"mpic", "gpio0", "power-off", "serial0", "spin-table"});
    CHECK(vm->interrupt_ack != nullptr);
    CHECK(vm->cpu_inputs.size() == 2);
}

TEST_CASE("build maps every device with registers at its absolute address") {
    auto m = scrambled_board();
    auto vm = vmm::build(m, {});
    REQUIRE(vm->bus.regions().size() == 4); // serial0, mpic, gpio0, spin table; power-off has none
    const auto* uart = vm->bus.find(0xf'e000'45ffull);
    REQUIRE(uart);
    CHECK(uart->name == "serial0");
    CHECK(uart->handler == vm->find_device("serial0"));
    CHECK(vm->bus.find(0xf'e000'4600ull) == nullptr);
    const auto* spin = vm->bus.find(0xf'ef00'0000ull);
    REQUIRE(spin);
    CHECK(spin->size == 4 * 0x20);
}

TEST_CASE("devices reach the interrupt controller through their irq line") {
    auto m = scrambled_board();
    auto vm = vmm::build(m, {});
    const uint64_t mpic = 0xf'e004'0000ull;
    vm->bus.write(mpic + 0x10000 + 42 * 0x20, 4, 0x00c5002a);
    vm->bus.write(mpic + 0x20080, 4, 0);
    vm->bus.write(0xf'e000'4501ull, 1, 0x02); // UART IER: THR empty
    CHECK(vm->cpu_inputs[0]->external);
}

TEST_CASE("build refuses overlapping devices and names both") {
    auto m = scrambled_board();
    m.devices.push_back(make("serial1", "ns16550", 0xf'e000'4580ull, 0x100, {{"console", "null"}}));
    REQUIRE_THROWS_WITH(vmm::build(m, {}),
                        Catch::Contains("serial1") && Catch::Contains("serial0"));
}

TEST_CASE("build names the device whose type is unknown") {
    auto m = scrambled_board();
    m.devices.push_back(make("frob0", "acme-frobnicator", 0xf'e000'8000ull, 0x100));
    REQUIRE_THROWS_WITH(vmm::build(m, {}),
                        Catch::Contains("frob0") && Catch::Contains("acme-frobnicator"));
}

TEST_CASE("a machine without a spin table address gets none") {
    auto m = scrambled_board();
    m.spin_table.address = 0;
    auto vm = vmm::build(m, {});
    CHECK(vm->find_device("spin-table") == nullptr);
}
