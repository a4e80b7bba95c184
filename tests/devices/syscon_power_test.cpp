// syscon-power: a register block that powers off or reboots on a given
// write, as Linux's syscon-poweroff and syscon-reboot drivers make it.
// Machines are written in YAML and built through the real front end.
#include <catch2/catch.hpp>

#include "fdt/compile.hpp"
#include "fdt/dts.hpp"
#include "support/machine_yaml.hpp"
#include "vmm/build.hpp"

using namespace vmc;

namespace {

constexpr uint64_t kBlock = 0xfe00f0000ull;

constexpr const char* kMachine = R"(vmcompose: 1
memory: 16M
devices:
  power:
    type: syscon-power
    at: 0xfe00f0000
    poweroff: {offset: 0x10, value: 0x1, mask: 0x1}
    reboot: {offset: 0x14, value: 0xdead}
)";

struct Rig {
    model::Machine m = testing::machine_from_yaml(kMachine);
    std::unique_ptr<vmm::Vm> vm = vmm::build(m, {});
    void w(uint64_t reg, uint32_t v) { REQUIRE(vm->bus.write(kBlock + reg, 4, v)); }
    uint32_t r(uint64_t reg) {
        uint64_t v = 0;
        REQUIRE(vm->bus.read(kBlock + reg, 4, v));
        return static_cast<uint32_t>(v);
    }
};

} // namespace

TEST_CASE("syscon-power: registers read back what was written and do nothing else") {
    Rig rig;
    rig.w(0x10, 0xfffffffe); // the poweroff register, masked bit clear
    rig.w(0x14, 0xdeae);     // the reboot register, another value
    rig.w(0x20, 0x12345678);
    CHECK(rig.r(0x10) == 0xfffffffe);
    CHECK(rig.r(0x20) == 0x12345678);
    CHECK_FALSE(rig.vm->control.stop_requested());
    CHECK_FALSE(rig.vm->control.take_reset_request());
}

TEST_CASE("syscon-power: the poweroff write compares only the masked bits and stops the VM") {
    Rig rig;
    rig.w(0x10, 0xf0000001);
    CHECK(rig.vm->control.reason() == vmm::ExitReason::PowerOff);
    CHECK(vmm::exit_status(rig.vm->control.reason()) == 0);
}

TEST_CASE("syscon-power: the reboot write (mask defaulting to all bits) requests a reset") {
    Rig rig;
    rig.w(0x14, 0x1dead); // not equal under the full mask
    CHECK_FALSE(rig.vm->control.take_reset_request());
    rig.w(0x14, 0xdead);
    CHECK(rig.vm->control.take_reset_request());
    CHECK_FALSE(rig.vm->control.stop_requested());
    rig.vm->devices.front()->reset();
    CHECK(rig.r(0x14) == 0);
}

TEST_CASE("syscon-power: the tree has a syscon block with poweroff and reboot children") {
    Rig rig;
    std::string dts = fdt::to_dts(fdt::compile(rig.m, {}));
    CHECK_THAT(dts, Catch::Contains("syscon@fe00f0000 {"));
    CHECK_THAT(dts, Catch::Contains(R"(compatible = "syscon", "simple-mfd";)"));
    CHECK_THAT(dts, Catch::Contains("big-endian;"));
    CHECK_THAT(dts, Catch::Contains("poweroff {"));
    CHECK_THAT(dts, Catch::Contains(R"(compatible = "syscon-poweroff";)"));
    CHECK_THAT(dts, Catch::Contains("regmap = <0x1>;"));
    CHECK_THAT(dts, Catch::Contains("offset = <0x10>;"));
    CHECK_THAT(dts, Catch::Contains("mask = <0x1>;"));
    CHECK_THAT(dts, Catch::Contains("reboot {"));
    CHECK_THAT(dts, Catch::Contains("value = <0xdead>;"));
    CHECK_THAT(dts, Catch::Contains("mask = <0xffffffff>;"));
    CHECK_THAT(dts, Catch::Contains("phandle = <0x1>;"));
}

TEST_CASE("syscon-power: show prints the mask in effect, from the schema's default") {
    Rig rig;
    const model::Device* power = rig.m.find_device("power");
    REQUIRE(power);
    CHECK(power->props["reboot"]["mask"] == 0xffffffffu);
    CHECK(rig.m.provenance.at("/devices/power/reboot/mask").file == "default of syscon-power");
}

TEST_CASE("syscon-power: a device with no action, or a register outside the block, is refused") {
    std::string none = testing::diagnostics_for_yaml(R"(vmcompose: 1
memory: 16M
devices:
  power: {type: syscon-power, at: 0xfe00f0000}
)");
    CHECK_THAT(none, Catch::Contains("needs `poweroff:`, `reboot:` or both"));
    std::string outside = testing::diagnostics_for_yaml(R"(vmcompose: 1
memory: 16M
devices:
  power: {type: syscon-power, at: 0xfe00f0000, size: 0x100, poweroff: {offset: 0x100, value: 1}}
)");
    CHECK_THAT(outside, Catch::Contains("offset 0x100 is not a 4-byte register inside the block"));
    CHECK_THAT(outside, Catch::Contains(":4:"));
}
