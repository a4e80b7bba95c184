#include <catch2/catch.hpp>

#include "config/yaml_tree.hpp"

using vmc::config::parse_yaml;
using vmc::config::YamlNode;
using vmc::config::YamlSyntaxError;
using vmc::config::YamlTree;

namespace {

YamlTree tree_of(std::string_view text) {
    auto parsed = parse_yaml(text);
    REQUIRE(std::holds_alternative<YamlTree>(parsed));
    return std::get<YamlTree>(std::move(parsed));
}

YamlSyntaxError error_of(std::string_view text) {
    auto parsed = parse_yaml(text);
    REQUIRE(std::holds_alternative<YamlSyntaxError>(parsed));
    return std::get<YamlSyntaxError>(parsed);
}

// The value under `key` of the map at `map`.
const YamlNode& value(const YamlTree& tree, const YamlNode& map, const std::string& key) {
    for (std::size_t i = 0; i + 1 < map.children.size(); i += 2)
        if (tree.node(map.children[i]).text == key) return tree.node(map.children[i + 1]);
    FAIL("no key " << key);
    return map;
}

} // namespace

TEST_CASE("YAML tree: kinds, text and 1-based positions of every node") {
    YamlTree tree = tree_of("vmcompose: 1\n"
                            "devices:\n"
                            "  serial0: {type: ns16550, irq: 42}\n"
                            "list: [a, 'b']\n");
    const YamlNode& root = tree.node(tree.root);
    REQUIRE(root.kind == YamlNode::Kind::Map);
    CHECK(root.children.size() == 6);
    const YamlNode& version = value(tree, root, "vmcompose");
    CHECK(version.kind == YamlNode::Kind::Scalar);
    CHECK(version.text == "1");
    CHECK((version.line == 1 && version.column == 12));
    const YamlNode& serial = value(tree, value(tree, root, "devices"), "serial0");
    CHECK(serial.kind == YamlNode::Kind::Map);
    CHECK((serial.line == 3 && serial.column == 12));
    const YamlNode& irq = value(tree, serial, "irq");
    CHECK((irq.text == "42" && irq.line == 3 && irq.column == 33));
    const YamlNode& list = value(tree, root, "list");
    REQUIRE(list.kind == YamlNode::Kind::Sequence);
    REQUIRE(list.children.size() == 2);
    CHECK_FALSE(tree.node(list.children[0]).quoted);
    CHECK(tree.node(list.children[1]).quoted);
}

TEST_CASE("YAML tree: quoted, block and !!str scalars are marked as strings") {
    YamlTree tree = tree_of("a: \"0x10\"\nb: !!str 12\nc: |\n  text\nd: 0x10\ne: ! 7\n");
    const YamlNode& root = tree.node(tree.root);
    CHECK(value(tree, root, "a").quoted);
    CHECK(value(tree, root, "b").quoted);
    CHECK(value(tree, root, "c").quoted);
    CHECK(value(tree, root, "c").text == "text\n");
    CHECK_FALSE(value(tree, root, "d").quoted);
    CHECK(value(tree, root, "e").quoted);
}

TEST_CASE("YAML tree: an empty value is a null without a position; empty text, no nodes") {
    YamlTree tree = tree_of("initrd:\nkernel: x\n");
    const YamlNode& initrd = value(tree, tree.node(tree.root), "initrd");
    CHECK(initrd.kind == YamlNode::Kind::Null);
    CHECK(initrd.line == 0);
    CHECK(tree_of("").empty());
    CHECK(tree_of("# only a comment\n").empty());
}

TEST_CASE("YAML tree: aliases share the anchored node instead of copying it") {
    YamlTree tree = tree_of("base: &b {x: 1}\none: *b\ntwo: *b\n");
    const YamlNode& root = tree.node(tree.root);
    CHECK(root.children[1] == root.children[3]);
    CHECK(root.children[3] == root.children[5]);
    // An alias inside its own anchor is a cycle the reader must cut off.
    YamlTree cycle = tree_of("a: &x [*x]\n");
    const YamlNode& a = cycle.node(cycle.node(cycle.root).children[1]);
    REQUIRE(a.children.size() == 1);
    CHECK(a.children[0] == cycle.node(cycle.root).children[1]);
}

TEST_CASE("YAML tree: only the first document is read") {
    YamlTree tree = tree_of("---\na: 1\n---\nb: [unclosed\n");
    const YamlNode& root = tree.node(tree.root);
    REQUIRE(root.children.size() == 2);
    CHECK(tree.node(root.children[0]).text == "a");
}

TEST_CASE("YAML tree: syntax errors say where and what") {
    YamlSyntaxError unclosed = error_of("a: [1, 2\n");
    CHECK(unclosed.line == 2);
    CHECK(unclosed.message.find("flow sequence that starts at line 1") != std::string::npos);
    YamlSyntaxError alias = error_of("a: 1\nb: *missing\n");
    CHECK((alias.line == 2 && alias.column == 4));
    CHECK(alias.message.starts_with("unknown alias *missing"));
    // Invalid UTF-8 is found by the reader, which knows only a byte offset.
    YamlSyntaxError bytes = error_of("a: 1\nb: \xff\xfe\n");
    CHECK((bytes.line == 2 && bytes.column == 4));
}
