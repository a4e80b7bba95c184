#include "fdt/dts.hpp"
#include "fdt/check.hpp"

#include <fmt/format.h>
#include <stdexcept>
#include <vector>

extern "C" {
#include <libfdt.h>
}

namespace vmc::fdt {

namespace {

// NUL-terminated printable strings, as dtc decides when decompiling.
bool is_string_list(const uint8_t* p, int len) {
    if (len == 0 || p[len - 1] != 0) return false;
    bool at_start = true;
    for (int i = 0; i < len; ++i) {
        if (p[i] == 0) {
            if (at_start) return false; // empty string
            at_start = true;
        } else {
            if (p[i] < 0x20 || p[i] > 0x7e || p[i] == '"' || p[i] == '\\') return false;
            at_start = false;
        }
    }
    return true;
}

std::string value_text(const uint8_t* p, int len) {
    if (is_string_list(p, len)) {
        std::string out;
        for (int i = 0; i < len;) {
            std::string s(reinterpret_cast<const char*>(p + i));
            out += (out.empty() ? "\"" : ", \"") + s + "\"";
            i += static_cast<int>(s.size()) + 1;
        }
        return out;
    }
    if (len % 4 == 0) {
        std::string out = "<";
        for (int i = 0; i < len; i += 4) {
            uint32_t v = (uint32_t{p[i]} << 24) | (uint32_t{p[i + 1]} << 16) |
                         (uint32_t{p[i + 2]} << 8) | p[i + 3];
            out += fmt::format("{}{:#x}", i ? " " : "", v);
        }
        return out + ">";
    }
    std::string out = "[";
    for (int i = 0; i < len; ++i)
        out += fmt::format("{}{:02x}", i ? " " : "", p[i]);
    return out + "]";
}

void print_node(const void* fdt, int node, int depth, std::string& out) {
    std::string indent(static_cast<size_t>(depth), '\t');
    const char* name = fdt_get_name(fdt, node, nullptr);
    out += fmt::format("{}{} {{\n", indent, depth == 0 ? "/" : name);
    int prop;
    fdt_for_each_property_offset(prop, fdt, node) {
        const char* pname = nullptr;
        int len = 0;
        const auto* value =
            static_cast<const uint8_t*>(fdt_getprop_by_offset(fdt, prop, &pname, &len));
        if (len == 0)
            out += fmt::format("{}\t{};\n", indent, pname);
        else
            out += fmt::format("{}\t{} = {};\n", indent, pname, value_text(value, len));
    }
    int child;
    fdt_for_each_subnode(child, fdt, node) {
        out += "\n";
        print_node(fdt, child, depth + 1, out);
    }
    out += fmt::format("{}}};\n", indent);
}

} // namespace

std::string to_dts(std::span<const uint8_t> blob) {
    const void* fdt = blob.data();
    if (blob.size() < sizeof(fdt_header) || check_blob(fdt, blob.size()) != 0)
        throw std::runtime_error("not a valid device tree blob");
    std::string out = "/dts-v1/;\n\n";
    for (int i = 0; i < fdt_num_mem_rsv(fdt); ++i) {
        uint64_t address = 0, size = 0;
        fdt_get_mem_rsv(fdt, i, &address, &size);
        out += fmt::format("/memreserve/ {:#x} {:#x};\n", address, size);
    }
    if (fdt_num_mem_rsv(fdt) > 0) out += "\n";
    print_node(fdt, 0, 0, out);
    return out;
}

} // namespace vmc::fdt
