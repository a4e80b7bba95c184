// A checked wrapper over libfdt's sequential-write API. Nodes are opened
// and closed through scoped handles, so an unbalanced tree cannot be built;
// misuse (a property outside a node, a second root, an invalid name, a
// reservation after the first node) throws std::logic_error or
// std::invalid_argument, and every libfdt error a std::runtime_error that
// names the property or node. The buffer grows as the tree does.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vmc::fdt {

class Writer {
public:
    Writer();
    // Open nodes point back at their writer, so it stays where it is.
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    class Node {
    public:
        Node(Node&& other) noexcept : writer_(other.writer_) { other.writer_ = nullptr; }
        Node(const Node&) = delete;
        Node& operator=(const Node&) = delete;
        Node& operator=(Node&&) = delete;
        ~Node() noexcept(false);

    private:
        friend class Writer;
        explicit Node(Writer* w) : writer_(w) {}
        Writer* writer_;
    };

    // Only before the first node (the reservation map precedes the structure block).
    void add_reservation(uint64_t address, uint64_t size);

    [[nodiscard]] Node begin_node(std::string_view name);
    void prop_empty(std::string_view name);
    void prop_u32(std::string_view name, uint32_t value);
    void prop_u64(std::string_view name, uint64_t value); // two cells
    void prop_cells(std::string_view name, std::span<const uint32_t> cells);
    void prop_cells(std::string_view name, std::initializer_list<uint32_t> cells) {
        prop_cells(name, std::span<const uint32_t>(cells.begin(), cells.size()));
    }
    void prop_string(std::string_view name, std::string_view value);
    void prop_strings(std::string_view name, std::span<const std::string> values);
    void prop_bytes(std::string_view name, std::span<const uint8_t> bytes);

    // Closes the tree and returns the blob (packed to its used size).
    std::vector<uint8_t> finish();

private:
    void end_node();
    void ensure_tree_started();
    void check(int err, std::string_view what);
    template <class Fn> void with_room(Fn&& fn, std::string_view what);

    std::vector<uint8_t> buf_;
    bool tree_started_ = false;
    bool finished_ = false;
    bool root_done_ = false; // the one root node has been closed
    int depth_ = 0;
    std::vector<bool> has_child_; // per open node: a child node was written
};

// Cells of a value in `count` 32-bit cells (1 or 2), most significant first.
std::vector<uint32_t> to_cells(uint64_t value, unsigned count);

} // namespace vmc::fdt
