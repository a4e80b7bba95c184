// The first document of a YAML text as a tree of nodes with source
// positions, read with libyaml's event parser. Aliases are references to the
// anchored node, not copies, so a file full of aliases stays small here; the
// caller decides how far to expand them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace vmc::config {

struct YamlNode {
    enum class Kind : uint8_t { Null, Scalar, Sequence, Map };
    Kind kind = Kind::Null;
    // A scalar that was quoted, block-literal or tagged !!str: always a string.
    bool quoted = false;
    int line = 0; // 1-based; 0 when the node has no text of its own (an empty value)
    int column = 0;
    std::string text; // scalars
    // Sequences: the items. Maps: key, value, key, value, ... Indices into YamlTree::nodes.
    std::vector<uint32_t> children;
};

struct YamlTree {
    std::vector<YamlNode> nodes; // nodes[root] is the document; empty for an empty text
    uint32_t root = 0;
    bool empty() const { return nodes.empty(); }
    const YamlNode& node(uint32_t index) const { return nodes[index]; }
};

struct YamlSyntaxError {
    int line = 0; // 1-based
    int column = 0;
    std::string message;
};

std::variant<YamlTree, YamlSyntaxError> parse_yaml(std::string_view text);

} // namespace vmc::config
