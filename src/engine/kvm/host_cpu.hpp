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
    fdt::HostCpu cpu; // the frequencies, for the device tree
    std::string core; // e.g. "e5500" ("" when /proc/cpuinfo does not say)
    uint32_t pvr = 0; // what the guest's mfpvr returns (0 when unknown)
    // Where each frequency came from, e.g.
    // "/proc/device-tree/cpus/PowerPC,e5500@0/clock-frequency".
    std::string clock_from, timebase_from;
};

// Throws std::runtime_error naming the files it looked at when the host
// gives no clock or timebase frequency.
HostCpuSource read_host_cpu(const std::filesystem::path& root = "/");

// The core family of a PVR's version field: "e500mc", "e5500", "e6500", or "".
std::string core_of_pvr(uint32_t pvr);

} // namespace vmc::kvm
