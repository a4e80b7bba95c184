#include "fdt/writer.hpp"

#include <exception>
#include <fmt/format.h>
#include <stdexcept>

extern "C" {
#include <libfdt.h>
}

namespace vmc::fdt {

namespace {

constexpr size_t kInitialSize = 16 * 1024;

// Devicetree specification 0.4, 2.2.1 and 2.2.4: the characters node and
// property names may use (node names also '@' before the unit address).
bool valid_name(std::string_view name, std::string_view extra) {
    constexpr std::string_view kCommon =
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ,._+-";
    if (name.empty()) return false;
    for (char c : name)
        if (kCommon.find(c) == std::string_view::npos && extra.find(c) == std::string_view::npos)
            return false;
    return true;
}

} // namespace

Writer::Writer() : buf_(kInitialSize) {
    check(fdt_create(buf_.data(), static_cast<int>(buf_.size())), "create");
}

void Writer::check(int err, std::string_view what) {
    if (err < 0)
        throw std::runtime_error(fmt::format("device tree: {}: {}", what, fdt_strerror(err)));
}

// Runs a libfdt call, doubling the buffer while it reports no space.
template <class Fn> void Writer::with_room(Fn&& fn, std::string_view what) {
    if (finished_) throw std::logic_error(fmt::format("device tree: {} after finish()", what));
    for (;;) {
        int err = fn();
        if (err != -FDT_ERR_NOSPACE) return check(err, what);
        std::vector<uint8_t> bigger(buf_.size() * 2);
        check(fdt_resize(buf_.data(), bigger.data(), static_cast<int>(bigger.size())), what);
        buf_.swap(bigger);
    }
}

void Writer::add_reservation(uint64_t address, uint64_t size) {
    if (tree_started_) throw std::logic_error("device tree: reservation after the first node");
    with_room([&] { return fdt_add_reservemap_entry(buf_.data(), address, size); }, "memreserve");
}

void Writer::ensure_tree_started() {
    if (tree_started_) return;
    with_room([&] { return fdt_finish_reservemap(buf_.data()); }, "reservation map");
    tree_started_ = true;
}

Writer::Node Writer::begin_node(std::string_view name) {
    if (depth_ == 0 && (root_done_ || !name.empty()))
        throw std::logic_error(fmt::format("device tree: node '{}' outside the root node", name));
    if (depth_ > 0 && !valid_name(name, "@"))
        throw std::invalid_argument(fmt::format("device tree: invalid node name '{}'", name));
    ensure_tree_started();
    std::string n(name);
    with_room([&] { return fdt_begin_node(buf_.data(), n.c_str()); }, n);
    if (!has_child_.empty()) has_child_.back() = true;
    has_child_.push_back(false);
    ++depth_;
    return Node(this);
}

void Writer::end_node() {
    with_room([&] { return fdt_end_node(buf_.data()); }, "end node");
    has_child_.pop_back();
    if (--depth_ == 0) root_done_ = true;
}

Writer::Node::~Node() noexcept(false) {
    if (writer_ && !std::uncaught_exceptions()) writer_->end_node();
}

void Writer::prop_bytes(std::string_view name, std::span<const uint8_t> bytes) {
    if (depth_ == 0)
        throw std::logic_error(fmt::format("device tree: property {} outside a node", name));
    // A node's properties precede its children; libfdt would not find them otherwise.
    if (has_child_.back())
        throw std::logic_error(fmt::format("device tree: property {} after a child node", name));
    if (!valid_name(name, "?#"))
        throw std::invalid_argument(fmt::format("device tree: invalid property name '{}'", name));
    std::string n(name);
    with_room(
        [&] {
            return fdt_property(buf_.data(), n.c_str(), bytes.data(),
                                static_cast<int>(bytes.size()));
        },
        n);
}

void Writer::prop_empty(std::string_view name) {
    prop_bytes(name, {});
}

void Writer::prop_cells(std::string_view name, std::span<const uint32_t> cells) {
    std::vector<uint8_t> bytes;
    bytes.reserve(cells.size() * 4);
    for (uint32_t c : cells)
        for (int shift = 24; shift >= 0; shift -= 8)
            bytes.push_back(static_cast<uint8_t>(c >> shift));
    prop_bytes(name, bytes);
}

void Writer::prop_u32(std::string_view name, uint32_t value) {
    prop_cells(name, {value});
}

void Writer::prop_u64(std::string_view name, uint64_t value) {
    prop_cells(name, {static_cast<uint32_t>(value >> 32), static_cast<uint32_t>(value)});
}

void Writer::prop_string(std::string_view name, std::string_view value) {
    std::vector<uint8_t> bytes(value.begin(), value.end());
    bytes.push_back(0);
    prop_bytes(name, bytes);
}

void Writer::prop_strings(std::string_view name, std::span<const std::string> values) {
    std::vector<uint8_t> bytes;
    for (const auto& v : values) {
        bytes.insert(bytes.end(), v.begin(), v.end());
        bytes.push_back(0);
    }
    prop_bytes(name, bytes);
}

std::vector<uint8_t> Writer::finish() {
    if (depth_ != 0) throw std::logic_error("device tree: finish() with open nodes");
    if (!root_done_) throw std::logic_error("device tree: finish() without a root node");
    ensure_tree_started();
    with_room([&] { return fdt_finish(buf_.data()); }, "finish");
    finished_ = true;
    buf_.resize(fdt_totalsize(buf_.data()));
    return buf_;
}

std::vector<uint32_t> to_cells(uint64_t value, unsigned count) {
    if (count == 1) return {static_cast<uint32_t>(value)};
    return {static_cast<uint32_t>(value >> 32), static_cast<uint32_t>(value)};
}

} // namespace vmc::fdt
