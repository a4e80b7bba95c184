// fsl-guts: the reset request Linux's fsl_rstcr_restart makes, and the
// identification registers.
#include <catch2/catch.hpp>

#include "config/device_config.hpp"
#include "vmm/build.hpp"

using namespace vmc;

namespace {

constexpr uint64_t kGuts = 0xf'e00e'0000ull;

std::unique_ptr<vmm::Vm> vm_with_guts(model::Machine& m, nlohmann::json props) {
    m.memory = {0, 1 << 20};
    m.cpu.pvr = 0x80230020;
    m.cpu.svr = 0x80390030;
    model::Device d;
    d.name = "guts";
    d.type = "fsl-guts";
    d.address = kGuts;
    d.size = 0x1000;
    d.props = std::move(props);
    m.devices.push_back(config::configured(std::move(d)));
    return vmm::build(m, {});
}

uint32_t r32(vmm::Vm& vm, uint64_t off) {
    uint64_t v = 0;
    REQUIRE(vm.bus.read(kGuts + off, 4, v));
    return static_cast<uint32_t>(v);
}

} // namespace

TEST_CASE("writing the reset bit of RSTCR requests a machine reset") {
    model::Machine m;
    auto vm = vm_with_guts(m, nlohmann::json::object());
    REQUIRE(vm->bus.write(kGuts + 0xb0, 4, 0x0)); // other bits: nothing
    CHECK_FALSE(vm->control.take_reset_request());
    REQUIRE(vm->bus.write(kGuts + 0xb0, 4, 0x2)); // HRESET_REQ
    CHECK(vm->control.take_reset_request());
    CHECK_FALSE(vm->control.stop_requested()); // the run loop applies on-reset, not the device
}

TEST_CASE("without has-rstcr the register does nothing") {
    model::Machine m;
    auto vm = vm_with_guts(m, {{"has-rstcr", false}});
    REQUIRE(vm->bus.write(kGuts + 0xb0, 4, 0x2));
    CHECK_FALSE(vm->control.take_reset_request());
}

TEST_CASE("GUTS mirrors the CPU's PVR and SVR") {
    model::Machine m;
    auto vm = vm_with_guts(m, nlohmann::json::object());
    CHECK(r32(*vm, 0xa0) == 0x80230020);
    CHECK(r32(*vm, 0xa4) == 0x80390030);
    CHECK(r32(*vm, 0x00) != 0);  // PORPLLSR reports PLL ratios
    CHECK(r32(*vm, 0x800) == 0); // unimplemented registers read 0
}
