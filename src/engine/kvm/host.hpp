// Whether this host can run guests under KVM: the device node is there and
// the CPU is an e500mc-class core (the KVM engine speaks the e500mc's
// software-TLB interface). `vmcompose up --accel auto` picks KVM from this,
// and `--accel kvm` names what is missing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vmc::kvm {

struct HostCheck {
    std::string cpu;                  // the host CPU as /proc/cpuinfo names it ("" if unknown)
    std::vector<std::string> missing; // what the host lacks, one sentence each
    bool usable() const { return missing.empty(); }
};

// The value of the first "key : value" line of /proc/cpuinfo text whose key is
// exactly `key`, trimmed; "" when there is none.
std::string cpuinfo_field(std::string_view cpuinfo, std::string_view key);

// The CPU name in /proc/cpuinfo text: the powerpc "cpu" field (e.g. "e5500"),
// else another architecture's "model name", else "".
std::string cpu_name(std::string_view cpuinfo);

// e500mc, e5500 and e6500 cores (what Linux's KVM e500mc support runs on).
bool is_e500mc_class(std::string_view cpu);

HostCheck check_host(const std::string& kvm_device = "/dev/kvm",
                     const std::string& cpuinfo_path = "/proc/cpuinfo");

} // namespace vmc::kvm
