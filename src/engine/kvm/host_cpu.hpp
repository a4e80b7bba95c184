// The host core a KVM guest runs on, read the way QEMU reads it: the
// frequencies from the host's device tree (/proc/device-tree/cpus/<cpu>/
// clock-frequency and timebase-frequency, the first cpu node that has them),
// else from /proc/cpuinfo's "clock" and "timebase" lines; the core's name
// and PVR from /proc/cpuinfo ("cpu", "revision ... (pvr XXXX YYYY)").
// Everything is read under `root`, so tests point it at a fake /proc.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include "fdt/compile.hpp"

namespace vmc::kvm {

struct HostCpuSource {
    fdt::HostCpu cpu;
    // Where each value came from, e.g. "/proc/device-tree/cpus/PowerPC,e5500@0/clock-frequency".
    std::string clock_from, timebase_from, core_from;
};

// Throws std::runtime_error naming the files it looked at when the host
// gives no clock or timebase frequency.
HostCpuSource read_host_cpu(const std::filesystem::path& root = "/");

// The core family of a PVR's version field: "e500mc", "e5500", "e6500", or "".
std::string core_of_pvr(uint32_t pvr);

// "PowerPC,<core>" for the cpu nodes, as Freescale's device trees name them.
std::string cpu_node_name(const std::string& core);

} // namespace vmc::kvm
