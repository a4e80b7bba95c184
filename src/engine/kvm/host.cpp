#include "engine/kvm/host.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <unistd.h>

namespace vmc::kvm {

namespace {

std::string_view trimmed(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r");
    return s.substr(first, last - first + 1);
}

// The value of the first "key : value" line whose key is exactly `key`.
std::string field(std::string_view text, std::string_view key) {
    while (!text.empty()) {
        const auto end = text.find('\n');
        const std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        const auto colon = line.find(':');
        if (colon != std::string_view::npos && trimmed(line.substr(0, colon)) == key)
            return std::string(trimmed(line.substr(colon + 1)));
    }
    return {};
}

} // namespace

std::string cpuinfo_field(std::string_view cpuinfo, std::string_view key) {
    return field(cpuinfo, key);
}

std::string cpu_name(std::string_view cpuinfo) {
    std::string cpu = field(cpuinfo, "cpu");
    return cpu.empty() ? field(cpuinfo, "model name") : cpu;
}

bool is_e500mc_class(std::string_view cpu) {
    for (std::string_view core : {"e500mc", "e5500", "e6500"})
        if (cpu.substr(0, core.size()) == core) return true;
    return false;
}

HostCheck check_host(const std::string& kvm_device, const std::string& cpuinfo_path) {
    HostCheck check;
    if (::access(kvm_device.c_str(), F_OK) != 0)
        check.missing.push_back(fmt::format(
            "{} does not exist (the host kernel has no KVM, or its module is not loaded)",
            kvm_device));
    else if (::access(kvm_device.c_str(), R_OK | W_OK) != 0)
        check.missing.push_back(fmt::format("{} cannot be opened for reading and writing: {}",
                                            kvm_device, std::strerror(errno)));

    std::ifstream in(cpuinfo_path);
    if (in.is_open()) {
        std::stringstream text;
        text << in.rdbuf();
        check.cpu = cpu_name(text.str());
    }
    if (!in.is_open())
        check.missing.push_back(
            fmt::format("{} cannot be read to identify the host CPU", cpuinfo_path));
    else if (!is_e500mc_class(check.cpu))
        check.missing.push_back(
            fmt::format("the host CPU ({}) is not an e500mc-class core (e500mc, e5500, e6500)",
                        check.cpu.empty() ? "not named in " + cpuinfo_path : check.cpu));
    return check;
}

} // namespace vmc::kvm
