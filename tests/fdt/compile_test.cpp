// The device tree compiled from a hand-built ppce500 machine.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

#include "config/device_config.hpp"
#include "fdt/check.hpp"
#include "fdt/compile.hpp"
#include "fdt/dts.hpp"
#include "fdt/writer.hpp"
#include "support/machine_yaml.hpp"

extern "C" {
#include <libfdt.h>
}

using namespace vmc;

namespace {

model::Device device(std::string name, std::string type, std::string bus, uint64_t address,
                     uint64_t size, std::optional<uint32_t> irq = {},
                     nlohmann::json props = nlohmann::json::object()) {
    model::Device d;
    d.name = std::move(name);
    d.type = std::move(type);
    d.bus = std::move(bus);
    d.address = address;
    d.size = size;
    if (irq) d.irq = model::Irq{*irq, model::IrqSense::LevelHigh};
    d.props = std::move(props);
    return config::configured(std::move(d));
}

model::Machine ppce500(unsigned cpus = 1) {
    model::Machine m;
    m.compatible = {"fsl,qemu-e500"};
    m.model = "QEMU ppce500";
    m.cpus = cpus;
    m.max_cpus = 4;
    m.cpu.node_name = "PowerPC,8544";
    m.memory = {0, 256ull << 20};
    m.spin_table = {0xf'ef00'0000ull, 0x20};
    m.interrupt_controller = "mpic";
    m.stdout_device = "serial0";
    m.boot.bootargs = "console=ttyS0";
    model::Bus soc{
        "soc", "soc", 0xf'e000'0000ull, 1 << 20, {"fsl,mpc8544-immr", "simple-bus"}, "soc",
        0,     true,  "/buses/soc"};
    model::Bus platform{
        "platform", "platform", 0xf'0000'0000ull, 128 << 20, {"qemu,platform", "simple-bus"}, "",
        0,          true,       "/buses/platform"};
    m.buses = {soc, platform};
    m.devices.push_back(device("mpic", "fsl-mpic", "soc", 0xf'e004'0000ull, 0x40000));
    m.devices.push_back(
        device("serial0", "ns16550", "soc", 0xf'e000'4500ull, 0x100, 42, {{"alias", "serial0"}}));
    m.devices.push_back(device("guts", "fsl-guts", "soc", 0xf'e00e'0000ull, 0x1000));
    m.devices.push_back(device("gpio0", "mpc8xxx-gpio", "soc", 0xf'e00f'f000ull, 0x1000, 47));
    m.devices.push_back(device("power-off", "gpio-poweroff", "soc", 0, 0, {},
                               {{"controller", "gpio0"}, {"pin", 0}}));
    // The tree does not open the image; the kind requires one all the same.
    m.devices.push_back(device("disk0", "virtio-blk", "platform", 0xf'0000'0000ull, 0x200, 5,
                               {{"image", "/nonexistent/disk.img"}}));
    return m;
}

const void* blob(const std::vector<uint8_t>& b) {
    return b.data();
}

uint32_t u32(const std::vector<uint8_t>& b, const char* path, const char* prop, int index = 0) {
    int node = fdt_path_offset(blob(b), path);
    REQUIRE(node >= 0);
    int len = 0;
    auto* p = static_cast<const uint8_t*>(fdt_getprop(blob(b), node, prop, &len));
    REQUIRE(p);
    REQUIRE(len >= (index + 1) * 4);
    p += index * 4;
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

std::string str(const std::vector<uint8_t>& b, const char* path, const char* prop) {
    int node = fdt_path_offset(blob(b), path);
    REQUIRE(node >= 0);
    auto* p = static_cast<const char*>(fdt_getprop(blob(b), node, prop, nullptr));
    REQUIRE(p);
    return p;
}

} // namespace

TEST_CASE("devices sit under their bus with bus-relative reg and MPIC interrupt specifiers") {
    auto b = fdt::compile(ppce500(), {});
    REQUIRE(vmc::fdt::check_blob(b.data(), b.size()) == 0);
    CHECK(str(b, "/", "compatible") == "fsl,qemu-e500");
    CHECK(u32(b, "/soc@fe0000000", "ranges", 1) == 0xf);
    CHECK(u32(b, "/soc@fe0000000", "ranges", 2) == 0xe0000000u);
    CHECK(u32(b, "/soc@fe0000000/serial@4500", "reg", 0) == 0x4500);
    CHECK(u32(b, "/soc@fe0000000/serial@4500", "interrupts", 0) == 42);
    CHECK(u32(b, "/soc@fe0000000/serial@4500", "interrupts", 1) == 2);
    uint32_t pic = u32(b, "/soc@fe0000000/pic@40000", "phandle");
    CHECK(u32(b, "/soc@fe0000000/serial@4500", "interrupt-parent") == pic);
    uint32_t gpio = u32(b, "/soc@fe0000000/gpio@ff000", "phandle");
    CHECK(u32(b, "/soc@fe0000000/power-off", "gpios", 0) == gpio);
    CHECK(u32(b, "/platform@f00000000/virtio_mmio@0", "interrupts", 0) == 5);
    CHECK(str(b, "/chosen", "stdout-path") == "/soc@fe0000000/serial@4500");
    CHECK(str(b, "/aliases", "serial0") == "/soc@fe0000000/serial@4500");
    CHECK(u32(b, "/memory@0", "reg", 3) == 256u << 20);
}

TEST_CASE("secondary CPUs are parked on the spin table") {
    auto b = fdt::compile(ppce500(2), {});
    CHECK(str(b, "/cpus/PowerPC,8544@0", "status") == "okay");
    CHECK(str(b, "/cpus/PowerPC,8544@1", "status") == "disabled");
    CHECK(str(b, "/cpus/PowerPC,8544@1", "enable-method") == "spin-table");
    CHECK(u32(b, "/cpus/PowerPC,8544@1", "cpu-release-addr", 0) == 0xf);
    CHECK(u32(b, "/cpus/PowerPC,8544@1", "cpu-release-addr", 1) == 0xef000020u);
    CHECK(u32(b, "/cpus/PowerPC,8544@0", "timebase-frequency") == 400'000'000u);
}

TEST_CASE("inputs from the boot side: initrd range, reservations, hypervisor node") {
    fdt::CompileInputs in;
    in.initrd_start = 0x0400'0000;
    in.initrd_end = 0x040a'1c00;
    in.reserve.push_back({0x0100'0000, 0x1000});
    in.hypervisor = fdt::Hypervisor{{"linux,kvm", "epapr,hypervisor-1"},
                                    {0x7c0000a4, 0x60000000, 0x60000000, 0x60000000},
                                    true};
    auto b = fdt::compile(ppce500(), in);
    CHECK(u32(b, "/chosen", "linux,initrd-start") == 0x0400'0000u);
    CHECK(u32(b, "/chosen", "linux,initrd-end") == 0x040a'1c00u);
    CHECK(fdt_num_mem_rsv(b.data()) == 1);
    CHECK(u32(b, "/hypervisor", "hcall-instructions", 0) == 0x7c0000a4u);
    CHECK(u32(b, "/hypervisor", "hcall-instructions", 3) == 0x60000000u);
    int hv = fdt_path_offset(b.data(), "/hypervisor");
    CHECK(fdt_stringlist_search(b.data(), hv, "compatible", "epapr,hypervisor-1") == 1);
    CHECK(fdt_getprop(b.data(), hv, "has-idle", nullptr) != nullptr);
}

TEST_CASE("identical machines give byte-identical trees") {
    CHECK(fdt::compile(ppce500(2), {}) == fdt::compile(ppce500(2), {}));
}

// The one dtc warning allowed: power-off has no registers but must sit
// inside the SoC bus, because Linux on 85xx boards only creates devices for
// children of the SoC/simple-bus nodes. QEMU's own ppce500 tree has it too.
TEST_CASE("the DTS text is accepted by dtc and decompiles to what the blob does") {
    auto b = fdt::compile(ppce500(2), {});
    std::string dts = fdt::to_dts(b);
    CHECK(dts.find("compatible = \"fsl,mpc8544-immr\", \"simple-bus\";") != std::string::npos);
    CHECK(dts.find("fsl,has-rstcr;") != std::string::npos);
    if (system("command -v dtc >/dev/null 2>&1") != 0)
        return; // dtc is part of the setup; skip without it
    std::string base = "/tmp/vmc-dts-" + std::to_string(getpid());
    std::ofstream(base + ".dtb", std::ios::binary)
        .write(reinterpret_cast<const char*>(b.data()), b.size());
    std::ofstream(base + ".dts") << dts;
    std::string cmd = "dtc -q -I dts -O dtb -o " + base + ".2.dtb " + base +
                      ".dts && dtc -I dtb -O dts -o " + base + ".a " + base + ".dtb 2>" + base +
                      ".warn && dtc -q -I dtb -O dts -o " + base + ".b " + base +
                      ".2.dtb && cmp -s " + base + ".a " + base + ".b";
    CHECK(system(cmd.c_str()) == 0);
    std::ifstream warn(base + ".warn");
    std::string line, unexpected;
    while (std::getline(warn, line))
        if (line.find("Warning (simple_bus_reg): /soc@fe0000000/power-off: missing or empty "
                      "reg/ranges") == std::string::npos)
            unexpected += line + "\n";
    INFO(unexpected);
    CHECK(unexpected.empty());
    CHECK(system(("rm -f " + base + ".dtb " + base + ".2.dtb " + base + ".dts " + base + ".a " +
                  base + ".b " + base + ".warn")
                     .c_str()) == 0);
}

TEST_CASE("every compiled tree passes libfdt's full check") {
    for (unsigned cpus : {1u, 2u, 4u}) {
        auto b = fdt::compile(ppce500(cpus), {});
        CHECK(vmc::fdt::check_blob(b.data(), b.size()) == 0);
    }
}

TEST_CASE("phandles are numbered before emission: the interrupt controller first, then referenced "
          "devices") {
    auto b = fdt::compile(ppce500(), {});
    CHECK(u32(b, "/soc@fe0000000/pic@40000", "phandle") == 1);
    CHECK(u32(b, "/soc@fe0000000/pic@40000", "linux,phandle") == 1);
    CHECK(u32(b, "/soc@fe0000000/gpio@ff000", "phandle") == 2);
    // Without the power-off node nothing refers to the GPIO controller.
    auto m = ppce500();
    std::erase_if(m.devices, [](const model::Device& d) { return d.type == "gpio-poweroff"; });
    auto b2 = fdt::compile(m, {});
    int gpio = fdt_path_offset(b2.data(), "/soc@fe0000000/gpio@ff000");
    REQUIRE(gpio >= 0);
    CHECK(fdt_getprop(b2.data(), gpio, "phandle", nullptr) == nullptr);
}

TEST_CASE("interrupt specifiers carry the sense the model gives") {
    auto m = ppce500();
    m.devices[1].irq = model::Irq{9, model::IrqSense::EdgeFalling};
    auto b = fdt::compile(m, {});
    CHECK(u32(b, "/soc@fe0000000/serial@4500", "interrupts", 0) == 9);
    CHECK(u32(b, "/soc@fe0000000/serial@4500", "interrupts", 1) == 3);
    CHECK(u32(b, "/soc@fe0000000/pic@40000", "#interrupt-cells") == 2);
}

TEST_CASE("bootargs from the boot side replace the machine's") {
    fdt::CompileInputs in;
    in.bootargs = "console=ttyS0 quiet";
    CHECK(str(fdt::compile(ppce500(), in), "/chosen", "bootargs") == "console=ttyS0 quiet");
    CHECK(str(fdt::compile(ppce500(), {}), "/chosen", "bootargs") == "console=ttyS0");
}

TEST_CASE("a spin table in RAM is reserved for the secondary CPUs") {
    auto m = ppce500(2);
    m.spin_table.address = 0x0ff0'0000;
    auto b = fdt::compile(m, {});
    REQUIRE(fdt_num_mem_rsv(b.data()) == 1);
    uint64_t address = 0, size = 0;
    fdt_get_mem_rsv(b.data(), 0, &address, &size);
    CHECK(address == 0x0ff0'0000);
    CHECK(size == 4 * 0x20); // room for max-cpus entries
    CHECK(u32(b, "/cpus/PowerPC,8544@1", "cpu-release-addr", 1) == 0x0ff0'0020u);
    // Outside RAM (QEMU's board) there is nothing to reserve.
    CHECK(fdt_num_mem_rsv(fdt::compile(ppce500(2), {}).data()) == 0);
}

TEST_CASE("machines the tree cannot describe are refused with the device named") {
    SECTION("registers outside the bus window") {
        auto m = ppce500();
        m.devices[1].address = 0xf'e010'0000ull;
        CHECK_THROWS_WITH(fdt::compile(m, {}),
                          Catch::Contains("serial0") && Catch::Contains("outside bus soc"));
    }
    SECTION("unknown device type") {
        auto m = ppce500();
        m.devices.push_back(device("odd", "no-such-kind", "soc", 0xf'e000'1000ull, 0x100));
        CHECK_THROWS_WITH(fdt::compile(m, {}), Catch::Contains("no-such-kind"));
    }
    SECTION("a reference to a missing device") {
        auto m = ppce500();
        m.devices[4].props["controller"] = "gpio9";
        m.devices[4] = config::configured(m.devices[4]);
        CHECK_THROWS_WITH(fdt::compile(m, {}), Catch::Contains("gpio9"));
    }
    SECTION("an irq without an interrupt controller") {
        auto m = ppce500();
        m.interrupt_controller = "guts";
        CHECK_THROWS_WITH(fdt::compile(m, {}), Catch::Contains("interrupt controller"));
    }
}

TEST_CASE("a device at the root gets two address and two size cells") {
    auto m = ppce500();
    m.devices.push_back(device("rng0", "virtio-rng", "", 0xf'1000'0000ull, 0x200, 6));
    auto b = fdt::compile(m, {});
    CHECK(u32(b, "/virtio_mmio@f10000000", "reg", 0) == 0xf);
    CHECK(u32(b, "/virtio_mmio@f10000000", "reg", 1) == 0x1000'0000u);
    CHECK(u32(b, "/virtio_mmio@f10000000", "reg", 3) == 0x200);
}

TEST_CASE("a GPIO block with fewer lines than its 32-bit registers says so with ngpios") {
    auto m = testing::machine_from_yaml(R"(vmcompose: 1
memory: 16M
devices:
  gpio0: {type: mpc8xxx-gpio, at: 0xfe00ff000}
  gpio1: {type: mpc8xxx-gpio, at: 0xfe00fe000, ngpios: 8}
)");
    std::string dts = fdt::to_dts(fdt::compile(m, {}));
    auto node = [&](const std::string& name) {
        std::size_t at = dts.find(name + " {");
        REQUIRE(at != std::string::npos);
        return dts.substr(at, dts.find("};", at) - at);
    };
    CHECK_THAT(node("gpio@fe00fe000"), Catch::Contains("ngpios = <0x8>;"));
    CHECK_THAT(node("gpio@fe00ff000"), !Catch::Contains("ngpios"));
}
