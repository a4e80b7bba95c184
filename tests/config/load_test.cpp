#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/load.hpp"
#include "config/schema.hpp"
#include "config/schema_kinds.hpp"
#include "devices/registry.hpp"

namespace fs = std::filesystem;
using namespace vmc;
using namespace vmc::config;

namespace {

// A scratch directory holding a machine file and the files it names.
struct Scratch {
    fs::path dir;
    explicit Scratch(const std::string& name)
        : dir(fs::temp_directory_path() / ("vmc-config-test-" + name)) {
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~Scratch() { fs::remove_all(dir); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(dir / name) << text;
        return (dir / name).string();
    }
};

std::optional<model::Machine> load(const std::string& file, std::vector<std::string> sets = {}) {
    Diagnostics diagnostics;
    auto machine = load_machine({file, std::move(sets)}, diagnostics);
    INFO(format_diagnostics(diagnostics));
    CHECK_FALSE(diagnostics.has_errors());
    return machine;
}

std::string example() {
    return std::string(VMC_SOURCE_DIR) + "/examples/ppce500.yaml";
}

} // namespace

TEST_CASE("the example validates once its guest files exist, and its devices are placed") {
    Scratch s("example");
    std::string kernel = s.write("vmlinux", "k"), initrd = s.write("initrd", "i"),
                image = s.write("disk.img", "d");
    auto m =
        load(example(), {"kernel=" + kernel, "initrd=" + initrd, "devices.disk0.image=" + image});
    REQUIRE(m);
    CHECK(m->board == "ppce500");
    CHECK(m->board_version == 1);
    CHECK(m->name == "linux-demo");
    CHECK(m->memory.size == 256ull << 20);
    CHECK(m->max_cpus == 4);
    CHECK(m->cpu.node_name == "PowerPC,8544");
    // "vendor,model" strings survive YAML flow lists (they are quoted).
    CHECK(m->compatible == std::vector<std::string>{"fsl,qemu-e500"});
    CHECK(m->find_bus("soc")->compatible ==
          std::vector<std::string>{"fsl,mpc8544-immr", "simple-bus"});
    CHECK(m->boot.kernel == kernel);
    CHECK(m->boot.bootargs == "console=ttyS0");
    CHECK(m->interrupt_controller == "mpic");
    CHECK(m->stdout_device == "serial0");

    const model::Device* serial = m->find_device("serial0");
    REQUIRE(serial);
    CHECK(serial->address == 0xfe0004500ull); // soc base + offset
    CHECK(serial->size == 0x100);
    CHECK(serial->irq->source == 42);
    CHECK(serial->props["console"] == "stdio");
    CHECK_FALSE(serial->props.contains("at"));

    // Auto-placed in file order on the platform bus: next slot, next source.
    const model::Device* disk = m->find_device("disk0");
    const model::Device* hvc = m->find_device("hvc0");
    const model::Device* rng = m->find_device("rng0");
    REQUIRE((disk && hvc && rng));
    CHECK(disk->address == 0xf00000000ull);
    CHECK(hvc->address == 0xf00001000ull);
    CHECK(rng->address == 0xf00002000ull);
    CHECK(disk->size == 0x200); // from the kind's schema fragment
    CHECK(disk->irq->source == 5);
    CHECK(hvc->irq->source == 6);
    CHECK(rng->irq->source == 7);
    CHECK(disk->props["readonly"] == true);
    CHECK(hvc->props["console"].get<std::string>().starts_with("file:/"));

    // Profile devices first, then the file's, each in written order.
    std::vector<std::string> names;
    for (const auto& d : m->devices)
        names.push_back(d.name);
    CHECK(names == std::vector<std::string>{"mpic", "serial0", "guts", "gpio0", "power-off",
                                            "disk0", "hvc0", "rng0"});
}

TEST_CASE("provenance names the file and line, or the flag, of every value") {
    Scratch s("provenance");
    std::string file = s.write("vm.yaml", "vmcompose: 1\nboard: ppce500\nname: p\n");
    auto m = load(file, {"memory=512M"});
    REQUIRE(m);
    CHECK(m->board_version == 2); // newest version
    CHECK(m->memory.size == 512ull << 20);
    CHECK(m->provenance.at("/memory").file == "--set memory=512M");
    CHECK(m->provenance.at("/name").file == file);
    CHECK(m->provenance.at("/name").line == 3);
    CHECK(m->provenance.at("/devices/serial0/at").file.ends_with("machines/ppce500/v1.yaml"));
    CHECK(m->provenance.at("/cpu/tlb0/entries").line > 0);
}

TEST_CASE("an irq map gives the sense; explicit placements are kept out of the pool") {
    Scratch s("irq");
    std::string file = s.write("vm.yaml", R"(vmcompose: 1
board: ppce500@1
devices:
  rng0: {type: virtio-rng, bus: platform}
  rng1: {type: virtio-rng, bus: platform, at: 0x0, irq: {source: 5, sense: edge-rising}}
)");
    auto m = load(file);
    REQUIRE(m);
    const model::Device* rng0 = m->find_device("rng0");
    const model::Device* rng1 = m->find_device("rng1");
    CHECK(rng1->address == 0xf00000000ull);
    CHECK(rng1->irq->sense == model::IrqSense::EdgeRising);
    CHECK(rng0->address == 0xf00001000ull);
    CHECK(rng0->irq->source == 6);
}

TEST_CASE("a profile may extend another; the data dir comes from VMCOMPOSE_DATA_DIR") {
    Scratch s("extends");
    fs::create_directories(s.dir / "machines/base");
    fs::create_directories(s.dir / "machines/derived");
    fs::copy(fs::path(VMC_SOURCE_DIR) / "schemas", s.dir / "schemas", fs::copy_options::recursive);
    s.write("machines/base/v1.yaml", "vmcompose: 1\ndescription: base\nmemory: 128M\ncpus: 1\n");
    s.write("machines/derived/v1.yaml", "vmcompose: 1\nextends: base@1\nmax-cpus: 2\n");
    s.write("machines/derived/v2.yaml", "vmcompose: 1\nextends: derived@1\nmemory: 64M\n");
    std::string file = s.write("vm.yaml", "vmcompose: 1\nboard: derived\ncpus: 2\n");
    ::setenv("VMCOMPOSE_DATA_DIR", s.dir.c_str(), 1);
    auto m = load(file);
    ::unsetenv("VMCOMPOSE_DATA_DIR");
    REQUIRE(m);
    CHECK(m->board == "derived");
    CHECK(m->board_version == 2);
    CHECK(m->memory.size == 64ull << 20);
    CHECK(m->max_cpus == 2);
    CHECK(m->cpus == 2);
}

TEST_CASE("all problems of a file are reported in one run, sorted by line") {
    Scratch s("many");
    std::string file = s.write("vm.yaml", "vmcompose: 1\nboard: ppce500@1\nmemroy: 1G\n"
                                          "on-reset: reboot\ncpus: 0\n");
    Diagnostics diagnostics;
    CHECK_FALSE(load_machine({file, {}}, diagnostics));
    auto sorted = diagnostics.sorted();
    REQUIRE(sorted.size() == 3);
    CHECK(sorted[0].mark.line == 3);
    CHECK(sorted[1].mark.line == 4);
    CHECK(sorted[2].mark.line == 5);
}

TEST_CASE("a bad --set value is reported against the flag") {
    Scratch s("badset");
    std::string file = s.write("vm.yaml", "vmcompose: 1\nboard: ppce500@1\n");
    Diagnostics diagnostics;
    CHECK_FALSE(load_machine({file, {"memory=lots"}}, diagnostics));
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics.items()[0].mark.file == "--set memory=lots");
    CHECK(diagnostics.items()[0].path == "memory");
}

TEST_CASE("an unreadable file is a diagnostic, not a crash") {
    Diagnostics diagnostics;
    CHECK_FALSE(load_machine({"/nonexistent/vm.yaml", {}}, diagnostics));
    CHECK(diagnostics.size() == 1);
}

TEST_CASE("the schema lists exactly the registered device kinds, each with a fragment") {
    Diagnostics diagnostics;
    auto schema = load_schema_files(std::string(VMC_SOURCE_DIR) + "/schemas", diagnostics);
    REQUIRE(schema);
    std::vector<std::string> in_schema =
        schema->root["definitions"]["device"]["properties"]["type"]["enum"];
    std::vector<std::string> registered;
    for (const auto* kind : devices::device_kinds())
        registered.emplace_back(kind->type);
    CHECK(in_schema == registered);
    CHECK(schema->root["definitions"]["device"]["allOf"].size() == registered.size());
    for (const auto* kind : devices::device_kinds())
        CHECK(fs::exists(fs::path(VMC_SOURCE_DIR) / "schemas" / kind->schema_fragment));
}

TEST_CASE("the device-kind part of the committed schema is the one generated from the kinds") {
    std::ifstream in(std::string(VMC_SOURCE_DIR) + "/schemas/machine.schema.yaml",
                     std::ios::binary);
    std::stringstream committed;
    committed << in.rdbuf();
    auto generated = with_generated_kinds(committed.str());
    REQUIRE(generated);
    // On a difference: vmc-schema-bundle --write-kinds schemas (from the build directory).
    CHECK(*generated == committed.str());
}

TEST_CASE("the schema compiled into vmcompose is the one in schemas/") {
    Diagnostics diagnostics;
    auto from_files = load_schema_files(std::string(VMC_SOURCE_DIR) + "/schemas", diagnostics);
    REQUIRE(from_files);
    MachineSchema builtin = builtin_schema();
    CHECK(builtin == *from_files);
    CHECK(builtin.default_sizes.count("ns16550") == 1);
}
