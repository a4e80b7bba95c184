#include "fdt/user_tree.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <stdexcept>

#include "fdt/check.hpp"

extern "C" {
#include <libfdt.h>
}

namespace vmc::fdt {

namespace {

constexpr size_t kRoom = 64 * 1024; // for /chosen and the nodes added to the user's tree

std::vector<uint8_t> read_file(const std::string& path, size_t limit) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error(
            fmt::format("dtb {}: cannot open: {}", path, std::strerror(errno)));
    std::vector<uint8_t> bytes;
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        bytes.insert(bytes.end(), buf, buf + in.gcount());
        if (bytes.size() > limit)
            throw std::runtime_error(fmt::format(
                "dtb {}: larger than the {} bytes a guest's tree may have", path, limit));
    }
    return bytes;
}

// Node path -> its `reg` bytes ("" when none), for every node of a blob.
std::map<std::string, std::string> nodes_of(const void* blob) {
    std::map<std::string, std::string> out;
    char path[512];
    for (int node = fdt_next_node(blob, -1, nullptr); node >= 0;
         node = fdt_next_node(blob, node, nullptr)) {
        if (fdt_get_path(blob, node, path, sizeof path) != 0) continue;
        int len = 0;
        const void* reg = fdt_getprop(blob, node, "reg", &len);
        out[path] = reg && len > 0 ? std::string(static_cast<const char*>(reg), len) : "";
    }
    return out;
}

// Nodes whose device_type is `type`, as path -> reg.
std::map<std::string, std::string>
typed(const void* blob, const std::map<std::string, std::string>& nodes, const char* type) {
    std::map<std::string, std::string> out;
    for (const auto& [path, reg] : nodes) {
        int node = fdt_path_offset(blob, path.c_str());
        const char* t =
            node >= 0 ? static_cast<const char*>(fdt_getprop(blob, node, "device_type", nullptr))
                      : nullptr;
        if (t && std::strcmp(t, type) == 0) out[path] = reg;
    }
    return out;
}

void check(int err, const std::string& path, const char* what) {
    if (err < 0)
        throw std::runtime_error(
            fmt::format("dtb {}: cannot {}: {}", path, what, fdt_strerror(err)));
}

// Copies property `name` of `from_node` in `from` to `to_node` in `to`, if present.
void copy_prop(const void* from, int from_node, void* to, int to_node, const char* name,
               const std::string& path) {
    int len = 0;
    const void* value = fdt_getprop(from, from_node, name, &len);
    if (value) check(fdt_setprop(to, to_node, name, value, len), path, "set /chosen");
}

std::vector<std::string> compare(const void* own, const void* user) {
    std::vector<std::string> warnings;
    auto ours = nodes_of(own), theirs = nodes_of(user);
    for (const auto& [path, reg] : ours) {
        if (reg.empty() || path.rfind("/memory", 0) == 0 || path.rfind("/cpus", 0) == 0) continue;
        auto it = theirs.find(path);
        if (it == theirs.end())
            warnings.push_back(
                fmt::format("the tree has no node {} (a device of the machine is there)", path));
        else if (it->second != reg)
            warnings.push_back(fmt::format("{}: its reg differs from the machine's", path));
    }
    for (const auto& [path, reg] : theirs) {
        if (reg.empty() || path.rfind("/memory", 0) == 0 || path.rfind("/cpus", 0) == 0) continue;
        if (!ours.count(path))
            warnings.push_back(fmt::format(
                "its node {} is not a device of the machine (a guest driver finds nothing there)",
                path));
    }
    auto our_memory = typed(own, ours, "memory"), their_memory = typed(user, theirs, "memory");
    std::set<std::string> a, b;
    for (const auto& [p, reg] : our_memory)
        a.insert(reg);
    for (const auto& [p, reg] : their_memory)
        b.insert(reg);
    if (a != b) warnings.push_back("its memory nodes describe other RAM than the machine has");
    size_t our_cpus = typed(own, ours, "cpu").size(),
           their_cpus = typed(user, theirs, "cpu").size();
    if (our_cpus != their_cpus)
        warnings.push_back(
            fmt::format("it lists {} CPU(s), the machine has {}", their_cpus, our_cpus));
    return warnings;
}

} // namespace

AdoptedTree adopt_user_tree(const std::string& path, const std::vector<uint8_t>& own,
                            const CompileInputs& inputs, size_t size_limit) {
    std::vector<uint8_t> bytes = read_file(path, size_limit);
    if (int err = check_blob(bytes.data(), bytes.size()); err != 0)
        throw std::runtime_error(fmt::format("dtb {}: not a well-formed flattened device tree: {}",
                                             path, fdt_strerror(err)));
    AdoptedTree out;
    out.warnings = compare(own.data(), bytes.data());

    std::vector<uint8_t> tree(bytes.size() + kRoom);
    check(fdt_open_into(bytes.data(), tree.data(), static_cast<int>(tree.size())), path, "open");
    void* t = tree.data();
    // /memreserve/: what vmcompose reserves (the spin table, the caller's
    // extra ranges), beside the tree's own.
    std::set<std::pair<uint64_t, uint64_t>> present;
    for (int i = 0; i < fdt_num_mem_rsv(t); ++i) {
        uint64_t a = 0, s = 0;
        fdt_get_mem_rsv(t, i, &a, &s);
        present.insert({a, s});
    }
    for (int i = 0; i < fdt_num_mem_rsv(own.data()); ++i) {
        uint64_t a = 0, s = 0;
        fdt_get_mem_rsv(own.data(), i, &a, &s);
        if (!present.count({a, s})) check(fdt_add_mem_rsv(t, a, s), path, "add a reservation");
    }
    // /chosen: the machine's boot arguments and initrd; the console path
    // only when the tree names none.
    int chosen = fdt_path_offset(t, "/chosen");
    if (chosen < 0) chosen = fdt_add_subnode(t, 0, "chosen");
    check(chosen, path, "add /chosen");
    int own_chosen = fdt_path_offset(own.data(), "/chosen");
    for (const char* name : {"bootargs", "linux,initrd-start", "linux,initrd-end"}) {
        fdt_delprop(t, chosen, name);
        copy_prop(own.data(), own_chosen, t, chosen, name, path);
    }
    if (!fdt_getprop(t, chosen, "stdout-path", nullptr)) {
        copy_prop(own.data(), own_chosen, t, chosen, "stdout-path", path);
        copy_prop(own.data(), own_chosen, t, chosen, "linux,stdout-path", path);
    }
    int stdout_len = 0;
    if (const char* stdout_path =
            static_cast<const char*>(fdt_getprop(t, chosen, "stdout-path", &stdout_len));
        stdout_path && fdt_path_offset(t, stdout_path) < 0)
        out.warnings.push_back(
            fmt::format("/chosen/stdout-path names {}, which the tree does not have",
                        std::string(stdout_path, strnlen(stdout_path, stdout_len))));
    if (inputs.hypervisor) {
        int own_hv = fdt_path_offset(own.data(), "/hypervisor");
        int hv = fdt_path_offset(t, "/hypervisor");
        if (hv < 0) hv = fdt_add_subnode(t, 0, "hypervisor");
        check(hv, path, "add /hypervisor");
        for (const char* name : {"compatible", "hcall-instructions", "has-idle"})
            copy_prop(own.data(), own_hv, t, hv, name, path);
    }
    check(fdt_pack(t), path, "pack");
    tree.resize(fdt_totalsize(t));
    out.blob = std::move(tree);
    return out;
}

} // namespace vmc::fdt
