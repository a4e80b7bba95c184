// Host detection for `up --accel`: which cores count as e500mc-class, and
// what check_host() names as missing.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "engine/kvm/host.hpp"
#include "fake_host.hpp"

namespace fs = std::filesystem;
using namespace vmc;

namespace {

using kvm::test::kE5500Cpuinfo;
constexpr const char* kX86Cpuinfo = "processor\t: 0\n"
                                    "vendor_id\t: GenuineIntel\n"
                                    "cpu family\t: 6\n"
                                    "model name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n"
                                    "cpu MHz\t\t: 2200.000\n"
                                    "cpu cores\t: 1\n";

struct Scratch {
    fs::path dir = fs::temp_directory_path() / ("vmc-kvm-host-" + std::to_string(::getpid()) + "-" +
                                                std::to_string(reinterpret_cast<uintptr_t>(this)));
    Scratch() { fs::create_directories(dir); }
    ~Scratch() { fs::remove_all(dir); }
    std::string write(const std::string& name, const std::string& text) {
        std::ofstream(dir / name) << text;
        return (dir / name).string();
    }
};

} // namespace

TEST_CASE("the CPU name comes from the powerpc cpu field, else the model name", "[kvm][host]") {
    CHECK(kvm::cpu_name(kE5500Cpuinfo) == "e5500");
    CHECK(kvm::cpu_name(kX86Cpuinfo) == "Intel(R) Xeon(R) CPU @ 2.20GHz"); // not "cpu family"
    CHECK(kvm::cpu_name("cpu\t\t: e500mc\r\n") == "e500mc");
    CHECK(kvm::cpu_name("") == "");
}

TEST_CASE("e500mc-class cores", "[kvm][host]") {
    CHECK(kvm::is_e500mc_class("e500mc"));
    CHECK(kvm::is_e500mc_class("e5500"));
    CHECK(kvm::is_e500mc_class("e6500"));
    CHECK_FALSE(kvm::is_e500mc_class("e500v2"));
    CHECK_FALSE(kvm::is_e500mc_class("POWER9 (raw), altivec supported"));
    CHECK_FALSE(kvm::is_e500mc_class(""));
}

TEST_CASE("check_host names each thing the host lacks", "[kvm][host]") {
    Scratch s;
    const std::string device = s.write("kvm", "");
    const std::string absent = (s.dir / "no-kvm").string();
    const std::string e5500 = s.write("cpuinfo-e5500", kE5500Cpuinfo);
    const std::string x86 = s.write("cpuinfo-x86", kX86Cpuinfo);

    SECTION("a QorIQ host with KVM") {
        auto check = kvm::check_host(device, e5500);
        CHECK(check.usable());
        CHECK(check.cpu == "e5500");
    }
    SECTION("no device node") {
        auto check = kvm::check_host(absent, e5500);
        REQUIRE(check.missing.size() == 1);
        CHECK_THAT(check.missing[0], Catch::Contains(absent) && Catch::Contains("does not exist"));
    }
    SECTION("another architecture") {
        auto check = kvm::check_host(device, x86);
        REQUIRE(check.missing.size() == 1);
        CHECK_THAT(check.missing[0], Catch::Contains("Intel(R) Xeon(R)") &&
                                         Catch::Contains("not an e500mc-class core"));
    }
    SECTION("both, and an unreadable cpuinfo") {
        auto check = kvm::check_host(absent, (s.dir / "none").string());
        REQUIRE(check.missing.size() == 2);
        CHECK_THAT(check.missing[1], Catch::Contains("cannot be read"));
    }
}
