// A host root directory with /proc/cpuinfo and /proc/device-tree/cpus, as a
// QorIQ host has them, for the code that reads the host core's values.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace vmc::kvm::test {

// /proc/cpuinfo of a QorIQ T-series host (an e5500 core).
inline constexpr const char* kE5500Cpuinfo = "processor\t: 0\n"
                                             "cpu\t\t: e5500\n"
                                             "clock\t\t: 1200.000000MHz\n"
                                             "revision\t: 2.0 (pvr 8024 1020)\n"
                                             "bogomips\t: 75.00\n\n"
                                             "timebase\t: 75000000\n"
                                             "platform\t: CoreNet Generic\n";

struct FakeHost {
    std::filesystem::path root = std::filesystem::temp_directory_path() /
                                 ("vmc-kvm-host-" + std::to_string(::getpid()) + "-" +
                                  std::to_string(reinterpret_cast<uintptr_t>(this)));
    FakeHost() { std::filesystem::create_directories(root / "proc/device-tree/cpus"); }
    ~FakeHost() { std::filesystem::remove_all(root); }
    FakeHost(const FakeHost&) = delete;
    FakeHost& operator=(const FakeHost&) = delete;

    void cpuinfo(const std::string& text) const { std::ofstream(root / "proc/cpuinfo") << text; }
    // A one-cell (big-endian) property of cpu node `node`.
    void cell(const std::string& node, const std::string& name, uint32_t value) const {
        std::filesystem::path dir = root / "proc/device-tree/cpus" / node;
        std::filesystem::create_directories(dir);
        const char bytes[4] = {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
                               static_cast<char>(value >> 8), static_cast<char>(value)};
        std::ofstream(dir / name, std::ios::binary).write(bytes, 4);
    }
};

} // namespace vmc::kvm::test
