// `vmcompose show --format dot` and `--memory-map`: the picture and the map
// of examples/ppce500.yaml, checked by structure against the model.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "config/load.hpp"
#include "debug/machine_graph.hpp"
#include "debug/memory_map.hpp"
#include "dot_reader.hpp"

using namespace vmc;

namespace {

// The example names the Linux guest's files: stand-ins let it load anywhere.
std::vector<std::string> guest_stand_ins() {
    auto dir = std::filesystem::temp_directory_path() / "vmc-debug-picture-test";
    std::filesystem::create_directories(dir);
    std::vector<std::string> sets;
    for (const char* key : {"kernel", "initrd", "devices.disk0.image"}) {
        auto path = dir / key;
        std::ofstream(path) << "stand-in\n";
        sets.push_back(std::string(key) + "=" + path.string());
    }
    return sets;
}

model::Machine example(std::vector<std::string> extra = {}) {
    std::vector<std::string> sets = guest_stand_ins();
    sets.insert(sets.end(), extra.begin(), extra.end());
    config::Diagnostics diagnostics;
    auto machine =
        config::load_machine({VMC_SOURCE_DIR "/examples/ppce500.yaml", sets}, diagnostics);
    REQUIRE(machine);
    return *machine;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

} // namespace

TEST_CASE("Machine graph: every CPU is a node in the CPU cluster, wired to the MPIC") {
    model::Machine m = example({"cpus=2"});
    test::DotGraph g = test::read_dot(debug::machine_to_dot(m));
    for (const char* cpu : {"cpu0", "cpu1"}) {
        CHECK(g.node(cpu).subgraph == "cluster_cpus");
        CHECK(contains(g.node(cpu).attrs.at("label"), "e500mc"));
        CHECK(g.has_edge("dev:mpic", cpu));
    }
    CHECK(g.nodes.count("cpu2") == 0);
}

TEST_CASE("Machine graph: each device sits in its bus cluster with its range and interrupt") {
    model::Machine m = example();
    test::DotGraph g = test::read_dot(debug::machine_to_dot(m));
    REQUIRE(!m.devices.empty());
    for (const auto& d : m.devices) {
        const test::DotNode& node = g.node("dev:" + d.name);
        CHECK(node.subgraph == "cluster_bus:" + d.bus);
        const std::string& label = node.attrs.at("label");
        CHECK(contains(label, d.type));
        if (d.size != 0)
            CHECK(contains(label, fmt::format("{:#x}-{:#x}", d.address, d.address + d.size - 1)));
        if (d.irq) {
            CHECK(contains(label, fmt::format("irq {}", d.irq->source)));
            const test::DotEdge* line = g.edge("dev:" + d.name, "dev:" + m.interrupt_controller);
            REQUIRE(line);
            CHECK(line->attrs.at("label") == fmt::format("irq {}", d.irq->source));
        } else {
            CHECK_FALSE(g.has_edge("dev:" + d.name, "dev:" + m.interrupt_controller));
        }
    }
    for (const auto& b : m.buses)
        CHECK(contains(g.subgraph_attrs.at("cluster_bus:" + b.name).at("label"),
                       fmt::format("{:#x}", b.base)));
}

TEST_CASE("Machine graph: the serial port's registers and interrupt 42 on the SoC bus") {
    test::DotGraph g = test::read_dot(debug::machine_to_dot(example()));
    const std::string& label = g.node("dev:serial0").attrs.at("label");
    CHECK(contains(label, "0xfe0004500-0xfe00045ff"));
    CHECK(contains(label, "irq 42"));
    CHECK(g.node("dev:serial0").subgraph == "cluster_bus:soc");
}

TEST_CASE("Machine graph: consoles and disk images are nodes linked to their device") {
    model::Machine m = example({"devices.hvc0.console=file:/tmp/hvc0.log"});
    test::DotGraph g = test::read_dot(debug::machine_to_dot(m));
    CHECK(g.has_edge("dev:hvc0", "console:file:/tmp/hvc0.log"));
    const model::Device* disk = m.find_device("disk0");
    REQUIRE(disk);
    std::string image = disk->props.at("image").get<std::string>();
    CHECK(g.has_edge("dev:disk0", "image:" + image));
    CHECK(g.node("image:" + image).attrs.at("shape") == "cylinder");
}

TEST_CASE("Machine graph: RAM and the spin table with their ranges") {
    model::Machine m = example({"memory=512M"});
    test::DotGraph g = test::read_dot(debug::machine_to_dot(m));
    CHECK(contains(g.node("ram").attrs.at("label"), "0x0-0x1fffffff (512M)"));
    CHECK(contains(g.node("spin-table").attrs.at("label"), "0xfef000000"));
}

TEST_CASE("Memory map: sorted by address within each level, gaps between regions") {
    model::Machine m = example();
    auto rows = debug::memory_map_rows(m);
    REQUIRE(rows.size() > 3);
    CHECK(rows.front().what == "RAM");
    CHECK(rows.front().start == 0);
    // Siblings are ordered and adjacent (gaps fill the space between them);
    // a region's contents start at its start and end at its end.
    for (size_t i = 0; i < rows.size(); ++i) {
        CHECK(rows[i].start <= rows[i].end);
        size_t next = i + 1;
        while (next < rows.size() && rows[next].depth > rows[i].depth)
            ++next;
        if (next < rows.size() && rows[next].depth == rows[i].depth)
            CHECK(rows[next].start == rows[i].end + 1);
        if (next > i + 1) {
            CHECK(rows[i + 1].start == rows[i].start);
            size_t last = next - 1;
            while (rows[last].depth != rows[i].depth + 1)
                --last;
            CHECK(rows[last].end == rows[i].end);
        }
    }
    // The gap between RAM and the platform bus is listed.
    bool found_gap = false;
    for (const auto& r : rows)
        if (r.gap && r.depth == 0 && r.start == m.memory.size) found_gap = true;
    CHECK(found_gap);
}

TEST_CASE("Memory map: the serial port inside the SoC bus, the gap before it") {
    auto rows = debug::memory_map_rows(example());
    size_t soc = 0;
    while (soc < rows.size() && rows[soc].what != "bus soc")
        ++soc;
    REQUIRE(soc < rows.size());
    CHECK(rows[soc + 1].depth == 1);
    CHECK(rows[soc + 1].start == 0xfe0000000);
    size_t serial = soc;
    while (serial < rows.size() && rows[serial].what != "serial0 (ns16550)")
        ++serial;
    REQUIRE(serial < rows.size());
    CHECK(rows[serial].depth == 1);
    CHECK(rows[serial].start == 0xfe0004500);
    CHECK(rows[serial].end == 0xfe00045ff);
    std::string text = debug::memory_map_text(example());
    CHECK(contains(text, "0xfe0004500   0xfe00045ff"));
    CHECK(contains(text, "(unmapped)"));
}
