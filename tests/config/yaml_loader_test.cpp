#include <catch2/catch.hpp>

#include "config/yaml_loader.hpp"

using namespace vmc::config;

namespace {
Document load_ok(const std::string& text) {
    Diagnostics diagnostics;
    auto doc = load_yaml_text(text, "t.yaml", diagnostics);
    INFO(format_diagnostics(diagnostics));
    REQUIRE(doc);
    return *doc;
}
} // namespace

TEST_CASE("plain scalars follow the YAML 1.2 core schema") {
    Document doc = load_ok("hex: 0x10\noct: 0o17\ndec: -42\nquoted: \"0x10\"\nyes: yes\n"
                           "on: on\ntilde: ~\nempty:\nbool: true\nfloat: 1.5\nsize: 256M\n");
    CHECK(doc.root["hex"] == 16);
    CHECK(doc.root["oct"] == 15);
    CHECK(doc.root["dec"] == -42);
    CHECK(doc.root["quoted"] == "0x10");
    CHECK(doc.root["yes"] == "yes");
    CHECK(doc.root["on"] == "on");
    CHECK(doc.root["tilde"].is_null());
    CHECK(doc.root["empty"].is_null());
    CHECK(doc.root["bool"] == true);
    CHECK(doc.root["float"] == 1.5);
    CHECK(doc.root["size"] == "256M");
}

TEST_CASE("64-bit addresses load as unsigned integers") {
    Document doc = load_ok("at: 0xfef000000\n");
    CHECK(doc.root["at"].get<uint64_t>() == 0xfef000000ull);
}

TEST_CASE("values and keys keep their 1-based source positions") {
    Document doc = load_ok("a: 1\ndevices:\n  disk0:\n    image: x.img\n");
    CHECK(doc.value_marks.at("/devices/disk0/image").line == 4);
    CHECK(doc.value_marks.at("/devices/disk0/image").column == 12);
    CHECK(doc.key_marks.at("/devices/disk0/image").column == 5);
    CHECK(doc.key_marks.at("/devices/disk0").line == 3);
}

TEST_CASE("keys keep their written order") {
    Document doc = load_ok("devices:\n  zeta: {type: a}\n  alpha: {type: b}\n");
    CHECK(doc.keys_in_order("/devices") == std::vector<std::string>{"zeta", "alpha"});
}

TEST_CASE("a duplicate key is an error naming both lines") {
    Diagnostics diagnostics;
    auto doc = load_yaml_text("cpus: 1\nmemory: 1G\ncpus: 2\n", "t.yaml", diagnostics);
    CHECK_FALSE(doc);
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics.items()[0].mark.line == 3);
    CHECK(diagnostics.items()[0].message == "duplicate key 'cpus' (first set on line 1)");
}

TEST_CASE("tab indentation is reported at the tab") {
    Diagnostics diagnostics;
    CHECK_FALSE(load_yaml_text("a:\n \tb: 1\n", "t.yaml", diagnostics));
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics.items()[0].mark.line == 2);
    CHECK(diagnostics.items()[0].mark.column == 2);
}

TEST_CASE("a syntax error is a diagnostic with a position") {
    Diagnostics diagnostics;
    CHECK_FALSE(load_yaml_text("a: [1, 2\nb: 3\n", "t.yaml", diagnostics));
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics.items()[0].message.starts_with("YAML syntax error"));
    CHECK(diagnostics.items()[0].mark.line > 0);
}

TEST_CASE("an integer beyond 64 bits is reported, not wrapped") {
    Diagnostics diagnostics;
    CHECK_FALSE(load_yaml_text("a: 18446744073709551616\n", "t.yaml", diagnostics));
    CHECK(diagnostics.size() == 1);
}

TEST_CASE("diagnostics print file:line:col, the line and a caret") {
    Diagnostics diagnostics;
    diagnostics.error({"/nonexistent.yaml", 3, 5}, "memory", "bad", "try 1G");
    CHECK(format_diagnostics(diagnostics) ==
          "/nonexistent.yaml:3:5: error: memory: bad\n  hint: try 1G\n");
}
