// `dtb:`: the user's tree with vmcompose's /chosen, reservations and
// warnings where it disagrees with the machine.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <string>
#include <unistd.h>

#include "fdt/user_tree.hpp"
#include "fdt/writer.hpp"

extern "C" {
#include <libfdt.h>
}

using namespace vmc;

namespace {

// A small tree: root, a soc bus with one serial port, memory, /chosen.
std::vector<uint8_t> tree(uint32_t serial_at, uint64_t memory, unsigned cpus,
                          const char* bootargs) {
    fdt::Writer w;
    {
        auto root = w.begin_node("");
        w.prop_u32("#address-cells", 2);
        w.prop_u32("#size-cells", 2);
        {
            auto soc = w.begin_node("soc@fe0000000");
            auto serial = w.begin_node(fmt::format("serial@{:x}", serial_at));
            w.prop_cells("reg", {serial_at, 0x100});
        }
        {
            auto cpus_node = w.begin_node("cpus");
            for (unsigned n = 0; n < cpus; ++n) {
                auto cpu = w.begin_node("cpu@" + std::to_string(n));
                w.prop_string("device_type", "cpu");
                w.prop_u32("reg", n);
            }
        }
        {
            auto mem = w.begin_node("memory@0");
            w.prop_string("device_type", "memory");
            w.prop_cells(
                "reg", {0, 0, static_cast<uint32_t>(memory >> 32), static_cast<uint32_t>(memory)});
        }
        {
            auto chosen = w.begin_node("chosen");
            if (bootargs) w.prop_string("bootargs", bootargs);
        }
    }
    return w.finish();
}

struct TempDtb {
    std::string path;
    explicit TempDtb(const std::vector<uint8_t>& blob) {
        char name[] = "/tmp/vmc-user-tree-XXXXXX";
        int fd = mkstemp(name);
        REQUIRE(fd >= 0);
        REQUIRE(write(fd, blob.data(), blob.size()) == static_cast<ssize_t>(blob.size()));
        close(fd);
        path = name;
    }
    ~TempDtb() { unlink(path.c_str()); }
};

std::string chosen(const std::vector<uint8_t>& blob, const char* name) {
    int node = fdt_path_offset(blob.data(), "/chosen");
    int len = 0;
    const char* v = static_cast<const char*>(fdt_getprop(blob.data(), node, name, &len));
    return v ? std::string(v, strnlen(v, len)) : "<none>";
}

} // namespace

TEST_CASE("dtb: the user's tree keeps its nodes and gets the machine's /chosen") {
    auto own = tree(0x4500, 256ull << 20, 1, "console=ttyS0 root=/dev/vda");
    TempDtb user(tree(0x4500, 256ull << 20, 1, "from the user"));
    fdt::AdoptedTree out = fdt::adopt_user_tree(user.path, own, {}, 1 << 20);
    CHECK(out.warnings.empty());
    CHECK(chosen(out.blob, "bootargs") == "console=ttyS0 root=/dev/vda");
    CHECK(fdt_path_offset(out.blob.data(), "/soc@fe0000000/serial@4500") >= 0);
}

TEST_CASE("dtb: a moved device, other memory and another CPU count are warned about") {
    auto own = tree(0x4500, 256ull << 20, 1, "console=ttyS0");
    TempDtb user(tree(0x4600, 128ull << 20, 2, nullptr));
    fdt::AdoptedTree out = fdt::adopt_user_tree(user.path, own, {}, 1 << 20);
    REQUIRE(out.warnings.size() == 4);
    CHECK(out.warnings[0].find("no node /soc@fe0000000/serial@4500") != std::string::npos);
    CHECK(out.warnings[1].find("/soc@fe0000000/serial@4600 is not a device") != std::string::npos);
    CHECK(out.warnings[2].find("memory") != std::string::npos);
    CHECK(out.warnings[3].find("2 CPU(s), the machine has 1") != std::string::npos);
}

TEST_CASE("dtb: a file that is not a device tree is refused with its name") {
    std::vector<uint8_t> junk(64, 0x5a);
    TempDtb user(junk);
    auto own = tree(0x4500, 256ull << 20, 1, nullptr);
    CHECK_THROWS_WITH(fdt::adopt_user_tree(user.path, own, {}, 1 << 20),
                      Catch::Contains(user.path) && Catch::Contains("not a well-formed"));
    CHECK_THROWS_WITH(fdt::adopt_user_tree("/nonexistent/x.dtb", own, {}, 1 << 20),
                      Catch::Contains("cannot open"));
}
