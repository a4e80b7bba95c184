// The device tree compiled from a hand-built ppce500 machine.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

#include "fdt/compile.hpp"
#include "fdt/dts.hpp"
#include "fdt/writer.hpp"

extern "C" {
#include <libfdt.h>
}

using namespace vmc;

namespace {

model::Device device(std::string name, std::string type, std::string bus, uint64_t address, uint64_t size,
                     std::optional<uint32_t> irq = {}, nlohmann::json props = nlohmann::json::object()) {
    model::Device d;
    d.name = std::move(name);
    d.type = std::move(type);
    d.bus = std::move(bus);
    d.address = address;
    d.size = size;
    if (irq) d.irq = model::Irq{*irq, model::IrqSense::LevelHigh};
    d.props = std::move(props);
    return d;
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
    model::Bus soc{"soc", "soc", 0xf'e000'0000ull, 1 << 20, {"fsl,mpc8544-immr", "simple-bus"}, "soc", 0, "/buses/soc"};
    model::Bus platform{"platform", "platform", 0xf'0000'0000ull, 128 << 20, {"qemu,platform", "simple-bus"}, "", 0,
                        "/buses/platform"};
    m.buses = {soc, platform};
    m.devices.push_back(device("mpic", "fsl-mpic", "soc", 0xf'e004'0000ull, 0x40000));
    m.devices.push_back(device("serial0", "ns16550", "soc", 0xf'e000'4500ull, 0x100, 42, {{"alias", "serial0"}}));
    m.devices.push_back(device("guts", "fsl-guts", "soc", 0xf'e00e'0000ull, 0x1000));
    m.devices.push_back(device("gpio0", "mpc8xxx-gpio", "soc", 0xf'e00f'f000ull, 0x1000, 47));
    m.devices.push_back(device("power-off", "gpio-poweroff", "soc", 0, 0, {}, {{"controller", "gpio0"}, {"pin", 0}}));
    m.devices.push_back(device("disk0", "virtio-blk", "platform", 0xf'0000'0000ull, 0x200, 5));
    return m;
}

const void* blob(const std::vector<uint8_t>& b) { return b.data(); }

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

TEST_CASE("the writer produces a valid blob and refuses unbalanced use") {
    fdt::Writer w;
    w.add_reservation(0x1000, 0x100);
    {
        auto root = w.begin_node("");
        w.prop_u32("#address-cells", 2);
        w.prop_strings("compatible", std::vector<std::string>{"a", "b"});
        auto child = w.begin_node("child@10");
        w.prop_empty("flag");
    }
    auto b = w.finish();
    CHECK(fdt_check_full(b.data(), b.size()) == 0);
    CHECK(fdt_num_mem_rsv(b.data()) == 1);
    CHECK_THROWS(w.prop_u32("late", 1));
    fdt::Writer w2;
    CHECK_THROWS(w2.prop_u32("outside", 1));
    {
        auto root = w2.begin_node("");
        CHECK_THROWS(w2.add_reservation(0, 1));
    }
}

TEST_CASE("devices sit under their bus with bus-relative reg and MPIC interrupt specifiers") {
    auto b = fdt::compile(ppce500(), {});
    REQUIRE(fdt_check_full(b.data(), b.size()) == 0);
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
    in.hypervisor = fdt::Hypervisor{{"linux,kvm"}, {0x7c0000a4, 0x60000000, 0x60000000, 0x60000000}};
    auto b = fdt::compile(ppce500(), in);
    CHECK(u32(b, "/chosen", "linux,initrd-start") == 0x0400'0000u);
    CHECK(u32(b, "/chosen", "linux,initrd-end") == 0x040a'1c00u);
    CHECK(fdt_num_mem_rsv(b.data()) == 1);
    CHECK(u32(b, "/hypervisor", "hcall-instructions", 0) == 0x7c0000a4u);
}

TEST_CASE("identical machines give byte-identical trees") {
    CHECK(fdt::compile(ppce500(2), {}) == fdt::compile(ppce500(2), {}));
}

// dtc's simple_bus_reg check is off: the power-off node has no registers
// but must sit inside the SoC bus, because Linux on 85xx boards only
// creates devices for children of the SoC/simple-bus nodes. QEMU's own
// ppce500 tree has the same node.
TEST_CASE("the DTS text is accepted by dtc and decompiles to what the blob does") {
    auto b = fdt::compile(ppce500(2), {});
    std::string dts = fdt::to_dts(b);
    CHECK(dts.find("compatible = \"fsl,mpc8544-immr\", \"simple-bus\";") != std::string::npos);
    CHECK(dts.find("fsl,has-rstcr;") != std::string::npos);
    if (system("command -v dtc >/dev/null 2>&1") != 0) return; // dtc is part of the setup; skip without it
    std::string base = "/tmp/vmc-dts-" + std::to_string(getpid());
    std::ofstream(base + ".dtb", std::ios::binary).write(reinterpret_cast<const char*>(b.data()), b.size());
    std::ofstream(base + ".dts") << dts;
    std::string cmd = "dtc -q -I dts -O dtb -o " + base + ".2.dtb " + base + ".dts && dtc -W no-simple_bus_reg -I dtb -O dts -o " + base +
                      ".a " + base + ".dtb 2>" + base + ".warn && dtc -I dtb -O dts -o " + base + ".b " + base +
                      ".2.dtb && cmp -s " + base + ".a " + base + ".b";
    CHECK(system(cmd.c_str()) == 0);
    std::ifstream warn(base + ".warn");
    std::string warnings((std::istreambuf_iterator<char>(warn)), {});
    INFO(warnings);
    CHECK(warnings.empty());
    system(("rm -f " + base + "*").c_str());
}
