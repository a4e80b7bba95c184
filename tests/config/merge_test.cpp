#include <catch2/catch.hpp>

#include "config/merge.hpp"
#include "config/resolve.hpp"
#include "config/yaml_loader.hpp"

using namespace vmc::config;

namespace {
Document load(const std::string& text, const std::string& name = "t.yaml") {
    Diagnostics diagnostics;
    auto doc = load_yaml_text(text, name, diagnostics);
    REQUIRE(doc);
    return *doc;
}
} // namespace

TEST_CASE("a file overrides one field of a profile device and keeps the others") {
    Document base =
        load("devices:\n  serial0: {type: ns16550, at: 0x4500, console: stdio}\n", "p.yaml");
    merge_document(base, load("devices:\n  serial0: {console: null}\n  extra: {type: virtio-rng}\n",
                              "f.yaml"));
    CHECK(base.root["devices"]["serial0"]["at"] == 0x4500);
    CHECK_FALSE(base.root["devices"]["serial0"].contains("console"));
    CHECK(base.root["devices"]["extra"]["type"] == "virtio-rng");
    CHECK(base.mark_of("/devices/serial0/at").file == "p.yaml");
    CHECK(base.mark_of("/devices/extra/type").file == "f.yaml");
    CHECK(base.keys_in_order("/devices") == std::vector<std::string>{"serial0", "extra"});
}

TEST_CASE("null removes a device") {
    Document base = load("devices:\n  a: {type: x}\n  b: {type: y}\n");
    merge_document(base, load("devices:\n  a: null\n"));
    CHECK_FALSE(base.root["devices"].contains("a"));
    CHECK_FALSE(base.value_marks.contains("/devices/a/type"));
}

TEST_CASE("changing a device's type replaces the device") {
    Document base = load("devices:\n  d: {type: ns16550, clock-frequency: 5}\n");
    merge_document(base, load("devices:\n  d: {type: virtio-rng}\n"));
    CHECK(base.root["devices"]["d"] == nlohmann::json({{"type", "virtio-rng"}}));
}

TEST_CASE("lists are replaced, not appended") {
    Document base = load("compatible: [a, b]\n");
    merge_document(base, load("compatible: [c]\n"));
    CHECK(base.root["compatible"] == nlohmann::json::array({"c"}));
}

TEST_CASE("--set values are YAML and go through the same merge") {
    Diagnostics diagnostics;
    auto set = parse_set_flag("devices.disk0.image=a.img", diagnostics);
    REQUIRE(set);
    CHECK(set->root["devices"]["disk0"]["image"] == "a.img");
    CHECK(set->mark_of("/devices/disk0/image").file == "--set devices.disk0.image=a.img");

    auto list = parse_set_flag("buses.platform.irq-pool=[5, 9]", diagnostics);
    REQUIRE(list);
    CHECK(list->root["buses"]["platform"]["irq-pool"] == nlohmann::json::array({5, 9}));

    auto hex = parse_set_flag("memory=0x10000000", diagnostics);
    REQUIRE(hex);
    CHECK(hex->root["memory"] == 0x10000000);

    Document base = load("devices:\n  rng0: {type: virtio-rng}\n");
    auto removal = parse_set_flag("devices.rng0=", diagnostics);
    REQUIRE(removal);
    merge_document(base, *removal);
    CHECK(base.root["devices"].empty());
    CHECK_FALSE(diagnostics.has_errors());
}

TEST_CASE("a --set without '=' is a usage error naming the flag") {
    Diagnostics diagnostics;
    CHECK_FALSE(parse_set_flag("memory", diagnostics));
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics.items()[0].mark.file == "--set memory");
}

TEST_CASE("relative paths become absolute against the naming file's directory") {
    Document doc = load("kernel: ../k/vmlinux\ninitrd: /abs/initrd\ndevices:\n"
                        "  d: {image: disk.img, console: 'file:log/out.txt'}\n"
                        "  s: {console: stdio}\n");
    make_paths_absolute(doc, "/home/u/vms");
    CHECK(doc.root["kernel"] == "/home/u/k/vmlinux");
    CHECK(doc.root["initrd"] == "/abs/initrd");
    CHECK(doc.root["devices"]["d"]["image"] == "/home/u/vms/disk.img");
    CHECK(doc.root["devices"]["d"]["console"] == "file:/home/u/vms/log/out.txt");
    CHECK(doc.root["devices"]["s"]["console"] == "stdio");
}
