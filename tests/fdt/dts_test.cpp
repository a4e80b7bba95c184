// fdt::to_dts: the text form of each kind of property value.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "fdt/dts.hpp"
#include "fdt/writer.hpp"

using vmc::fdt::Writer;

TEST_CASE("dts: strings, string lists, cells, bytes, empty properties and reservations") {
    Writer w;
    w.add_reservation(0x1000, 0x20);
    {
        auto root = w.begin_node("");
        w.prop_string("model", "QEMU ppce500");
        w.prop_strings("compatible", std::vector<std::string>{"fsl,mpc8544-immr", "simple-bus"});
        w.prop_cells("reg", {0xf, 0xe0000000u});
        w.prop_bytes("mac", std::vector<uint8_t>{0x52, 0x54, 0x00, 0x12, 0x34, 0x56});
        w.prop_string("quoted", "a\"b"); // not printable as a dtc string literal
        w.prop_empty("flag");
        auto child = w.begin_node("serial@4500");
        w.prop_u32("cell-index", 0);
    }
    std::string dts = vmc::fdt::to_dts(w.finish());
    CHECK(dts == "/dts-v1/;\n\n"
                 "/memreserve/ 0x1000 0x20;\n\n"
                 "/ {\n"
                 "\tmodel = \"QEMU ppce500\";\n"
                 "\tcompatible = \"fsl,mpc8544-immr\", \"simple-bus\";\n"
                 "\treg = <0xf 0xe0000000>;\n"
                 "\tmac = [52 54 00 12 34 56];\n"
                 "\tquoted = <0x61226200>;\n"
                 "\tflag;\n"
                 "\n"
                 "\tserial@4500 {\n"
                 "\t\tcell-index = <0x0>;\n"
                 "\t};\n"
                 "};\n");
}

TEST_CASE("dts: a blob that is not a device tree is refused") {
    std::vector<uint8_t> junk(64, 0xab);
    CHECK_THROWS_AS(vmc::fdt::to_dts(junk), std::runtime_error);
    CHECK_THROWS_AS(vmc::fdt::to_dts(std::vector<uint8_t>{}), std::runtime_error);
}
