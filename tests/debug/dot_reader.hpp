// A reader for the subset of Graphviz's dot language that graphs use:
// digraph, nested subgraphs, node and edge statements with attribute lists,
// graph attributes. Enough to check a machine picture by its structure
// rather than by its text.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace vmc::test {

struct DotNode {
    std::string id;
    std::string subgraph; // innermost subgraph holding it ("" at top level)
    std::map<std::string, std::string> attrs;
};

struct DotEdge {
    std::string from, to;
    std::map<std::string, std::string> attrs;
};

struct DotGraph {
    std::string name;
    std::map<std::string, DotNode> nodes;
    std::vector<DotEdge> edges;
    std::map<std::string, std::map<std::string, std::string>> subgraph_attrs;

    const DotNode& node(const std::string& id) const {
        auto it = nodes.find(id);
        if (it == nodes.end()) throw std::runtime_error("no node " + id);
        return it->second;
    }
    bool has_edge(const std::string& from, const std::string& to) const {
        for (const auto& e : edges)
            if (e.from == from && e.to == to) return true;
        return false;
    }
    const DotEdge* edge(const std::string& from, const std::string& to) const {
        for (const auto& e : edges)
            if (e.from == from && e.to == to) return &e;
        return nullptr;
    }
};

// Throws std::runtime_error on text outside the subset.
DotGraph read_dot(const std::string& text);

} // namespace vmc::test
