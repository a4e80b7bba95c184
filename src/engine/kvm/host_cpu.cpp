#include "engine/kvm/host_cpu.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <vector>

#include <fmt/format.h>

#include "engine/kvm/host.hpp"

namespace vmc::kvm {

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    return {std::istreambuf_iterator<char>(in), {}};
}

// A device-tree cell property: one or two big-endian 32-bit cells; 0 otherwise.
uint64_t cells(const std::string& bytes) {
    if (bytes.size() != 4 && bytes.size() != 8) return 0;
    uint64_t value = 0;
    for (char c : bytes)
        value = (value << 8) | static_cast<uint8_t>(c);
    return value;
}

// The first host cpu node (in name order) that has a clock-frequency:
// QEMU takes the first such node too.
fs::path first_cpu_node(const fs::path& cpus) {
    std::error_code error;
    std::vector<fs::path> nodes;
    for (const auto& entry : fs::directory_iterator(cpus, error))
        if (entry.is_directory() && fs::exists(entry.path() / "clock-frequency"))
            nodes.push_back(entry.path());
    if (nodes.empty()) return {};
    return *std::min_element(nodes.begin(), nodes.end());
}

// "1200.000000MHz" (what Linux prints for Freescale cores) in Hz; 0 if unreadable.
uint64_t cpuinfo_clock_hz(const std::string& text) {
    double mhz = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), mhz);
    if (error != std::errc{} || mhz <= 0 || std::string_view(end) != "MHz") return 0;
    return static_cast<uint64_t>(mhz * 1e6 + 0.5);
}

uint64_t decimal(const std::string& text) {
    uint64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc{} && end == text.data() + text.size() ? value : 0;
}

// "2.0 (pvr 8024 1020)" -> 0x80241020; 0 if absent.
uint32_t revision_pvr(const std::string& revision) {
    auto at = revision.find("(pvr ");
    if (at == std::string::npos) return 0;
    unsigned high = 0, low = 0;
    const char* p = revision.data() + at + 5;
    const char* end = revision.data() + revision.size();
    auto first = std::from_chars(p, end, high, 16);
    if (first.ec != std::errc{} || first.ptr == end || *first.ptr != ' ') return 0;
    auto second = std::from_chars(first.ptr + 1, end, low, 16);
    if (second.ec != std::errc{} || high > 0xffff || low > 0xffff) return 0;
    return (high << 16) | low;
}

} // namespace

std::string core_of_pvr(uint32_t pvr) {
    switch (pvr >> 16) {
    case 0x8023:
        return "e500mc";
    case 0x8024:
        return "e5500";
    case 0x8040:
        return "e6500";
    default:
        return "";
    }
}

std::string cpu_node_name(const std::string& core) {
    return core.empty() ? "" : "PowerPC," + core;
}

HostCpuSource read_host_cpu(const fs::path& root) {
    HostCpuSource out;
    const fs::path cpus = root / "proc/device-tree/cpus";
    const fs::path node = first_cpu_node(cpus);
    if (!node.empty()) {
        if (uint64_t hz = cells(read_file(node / "clock-frequency"))) {
            out.cpu.clock_frequency = hz;
            out.clock_from =
                (fs::path("/") / fs::relative(node / "clock-frequency", root)).string();
        }
        if (uint64_t hz = cells(read_file(node / "timebase-frequency"))) {
            out.cpu.timebase_frequency = hz;
            out.timebase_from =
                (fs::path("/") / fs::relative(node / "timebase-frequency", root)).string();
        }
    }
    const std::string cpuinfo = read_file(root / "proc/cpuinfo");
    if (!out.cpu.clock_frequency) {
        out.cpu.clock_frequency = cpuinfo_clock_hz(cpuinfo_field(cpuinfo, "clock"));
        if (out.cpu.clock_frequency) out.clock_from = "/proc/cpuinfo clock";
    }
    if (!out.cpu.timebase_frequency) {
        out.cpu.timebase_frequency = decimal(cpuinfo_field(cpuinfo, "timebase"));
        if (out.cpu.timebase_frequency) out.timebase_from = "/proc/cpuinfo timebase";
    }
    out.core = cpuinfo_field(cpuinfo, "cpu");
    out.pvr = revision_pvr(cpuinfo_field(cpuinfo, "revision"));

    std::string missing;
    if (!out.cpu.clock_frequency) missing += " clock frequency";
    if (!out.cpu.timebase_frequency)
        missing += missing.empty() ? " timebase frequency" : " and timebase frequency";
    if (!missing.empty())
        throw std::runtime_error(fmt::format(
            "cannot read the host CPU's{}: no cpu node with them under {} and no usable \"clock\"/"
            "\"timebase\" line in {}",
            missing, cpus.string(), (root / "proc/cpuinfo").string()));
    return out;
}

} // namespace vmc::kvm
