// Boot placement (QEMU ppce500 rules), loading into guest RAM and the
// ePAPR entry state.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include "loader_images.hpp"
#include "vmm/boot_plan.hpp"
#include "vmm/loader/load_error.hpp"
#include "vmm/vm.hpp"

using namespace loader_test;
using vmc::vmm::BootPlan;
using vmc::vmm::load_guest;
using vmc::vmm::place_dtb;
using vmc::vmm::plan_boot;
using vmc::vmm::loader::LoadError;

namespace {
constexpr uint64_t MiB = 1ull << 20;

vmc::model::Machine machine_with(const std::string& kernel, const std::string& initrd = "",
                                 uint64_t ram = 256 * MiB, uint32_t cpus = 1) {
    vmc::model::Machine m;
    m.memory = {0, ram};
    m.cpus = cpus;
    m.max_cpus = 4;
    m.boot.kernel = kernel;
    m.boot.initrd = initrd;
    return m;
}

std::string plan_error(const vmc::model::Machine& m) {
    try {
        plan_boot(m);
    } catch (const LoadError& e) {
        return e.what();
    }
    return "no error";
}
} // namespace

TEST_CASE("a vmlinux-sized ELF gets QEMU's DTB and initrd addresses") {
    ScratchDir dir;
    // Same extent as the reference vmlinux: paddr 0, memsz 0x58ef14.
    auto kernel = dir.write(
        "vmlinux", make_elf(false, 0xc0000000, {{0xc0000000, 0, pattern(0x1000, 1), 0x58ef14}}));
    auto initrd = dir.write("initrd", pattern(0xa1c00, 2));

    BootPlan plan = plan_boot(machine_with(kernel, initrd));

    CHECK(plan.dtb_address == 0x01d00000);
    REQUIRE(plan.initrd);
    CHECK(plan.initrd->address == 0x04000000);
    CHECK(plan.initrd->end() == 0x040a1c00);
    CHECK(plan.kernel->entry == 0);
}

TEST_CASE("a small image puts the DTB at 24 MiB, as for QEMU's hello.elf") {
    ScratchDir dir;
    auto kernel = dir.write("hello.elf", make_elf(false, 0, {{0, 0, pattern(1241, 1), 1241}}));

    BootPlan plan = plan_boot(machine_with(kernel));

    CHECK(plan.dtb_address == 0x01800000);
    CHECK_FALSE(plan.initrd);
}

TEST_CASE("a kernel ending above 32 MiB moves the initrd up") {
    ScratchDir dir;
    auto kernel = dir.write("big", make_elf(false, 0, {{0, 0, pattern(16, 1), 0x2100000}}));
    auto initrd = dir.write("initrd", pattern(4096, 2));

    BootPlan plan = plan_boot(machine_with(kernel, initrd));

    // (0x2100000 + 32 MiB) rounded down to 16 MiB.
    CHECK(plan.initrd->address == 0x04000000);
    CHECK(plan.dtb_address == 0x03900000);
}

TEST_CASE("placement errors name the file and the clash") {
    ScratchDir dir;
    SECTION("segment outside RAM") {
        auto k = dir.write("k", make_elf(false, 0, {{0x20000000, 0x20000000, pattern(16, 1), 16}}));
        auto msg = plan_error(machine_with(k, "", 256 * MiB));
        CHECK(msg.find(k + ": kernel segment") == 0);
        CHECK(msg.find("outside guest RAM") != std::string::npos);
    }
    SECTION("uImage load address beyond RAM") {
        auto k = dir.write("u", make_uimage(pattern(64, 1), {.load = 0x7fffffc0}));
        CHECK(plan_error(machine_with(k, "", 64 * MiB)).find("outside guest RAM") !=
              std::string::npos);
    }
    SECTION("initrd beyond RAM") {
        auto k = dir.write("k", make_elf(false, 0, {{0, 0, pattern(16, 1), 16}}));
        auto rd = dir.write("rd", pattern(4096, 2));
        auto msg = plan_error(machine_with(k, rd, 64 * MiB)); // initrd would sit at 64 MiB
        CHECK(msg.find(rd + ": initrd") == 0);
        CHECK(msg.find("outside guest RAM") != std::string::npos);
    }
    SECTION("empty initrd") {
        auto k = dir.write("k", make_elf(false, 0, {{0, 0, pattern(16, 1), 16}}));
        auto rd = dir.write("rd", {});
        CHECK(plan_error(machine_with(k, rd)) == rd + ": initrd file is empty");
    }
    SECTION("kernel too large for the DTB to stay in the first 64 MiB") {
        auto k = dir.write("k", make_elf(false, 0, {{0, 0, pattern(16, 1), 48 * MiB}}));
        CHECK(plan_error(machine_with(k)).find("first 64 MiB") != std::string::npos);
    }
    SECTION("kernel larger than RAM") {
        auto k = dir.write("k", make_elf(false, 0, {{0, 0, pattern(16, 1), 128 * MiB}}));
        CHECK(plan_error(machine_with(k, "", 64 * MiB)).find("larger than guest RAM") !=
              std::string::npos);
    }
}

TEST_CASE("a segment overlapping the initrd is reported as an overlap") {
    ScratchDir dir;
    // A second segment placed where the initrd goes (0x4000000).
    auto k = dir.write(
        "k", make_elf(false, 0,
                      {{0, 0, pattern(16, 1), 16}, {0x4000000, 0x4000000, pattern(16, 2), 16}}));
    auto rd = dir.write("rd", pattern(4096, 2));
    auto msg = plan_error(machine_with(k, rd));
    INFO(msg);
    CHECK(msg.find("overlaps") != std::string::npos);
}

TEST_CASE("load_guest copies segments, zero-fills memsz beyond filesz and loads the initrd") {
    ScratchDir dir;
    auto text = pattern(0x100, 4);
    auto kernel = dir.write("k", make_elf(false, 0xc0000000, {{0xc0000000, 0, text, 0x2000}}));
    auto rd_bytes = pattern(0x3000, 5);
    auto initrd = dir.write("rd", rd_bytes);
    auto machine = machine_with(kernel, initrd, 128 * MiB, 2);
    BootPlan plan = plan_boot(machine);
    vmc::vmm::Vm vm(machine, {});
    // Dirty the .bss area so the zero fill is observable.
    vm.ram.span(0x100, 0x1f00)[0x10] = 0xaa;

    load_guest(vm, plan);

    Bytes got(0x2000);
    REQUIRE(vm.ram.read(0, got));
    CHECK(Bytes(got.begin(), got.begin() + 0x100) == text);
    CHECK(std::all_of(got.begin() + 0x100, got.end(), [](uint8_t b) { return b == 0; }));
    Bytes rd(rd_bytes.size());
    REQUIRE(vm.ram.read(plan.initrd->address, rd));
    CHECK(rd == rd_bytes);
    CHECK(vm.boot.initrd_start == 0x04000000);
    CHECK(vm.boot.initrd_end == 0x04003000);
    CHECK(vm.boot.kernel_start == 0);
    CHECK(vm.boot.kernel_end == 0x2000);
}

TEST_CASE("a boot plan keeps the kernel it read even when the file is replaced") {
    ScratchDir dir;
    auto text = pattern(0x100, 7);
    auto kernel = dir.write("k", make_elf(false, 0xc0000000, {{0xc0000000, 0, text, 0x1000}}));
    auto machine = machine_with(kernel, "", 128 * MiB, 1);
    BootPlan plan = plan_boot(machine);
    // What build tools do when they rebuild a kernel: a new file under the old name.
    std::filesystem::remove(kernel);
    dir.write("k", pattern(0x100, 9));
    vmc::vmm::Vm vm(machine, {});

    load_guest(vm, plan);

    Bytes got(text.size());
    REQUIRE(vm.ram.read(0, got));
    CHECK(got == text);
}

TEST_CASE("load_guest refuses an initrd that changed size after the plan was made") {
    ScratchDir dir;
    auto kernel =
        dir.write("k", make_elf(false, 0xc0000000, {{0xc0000000, 0, pattern(64, 4), 0x1000}}));
    auto initrd = dir.write("rd", pattern(0x3000, 5));
    auto machine = machine_with(kernel, initrd, 128 * MiB, 1);
    BootPlan plan = plan_boot(machine);
    dir.write("rd", pattern(0x2000, 5));
    vmc::vmm::Vm vm(machine, {});

    try {
        load_guest(vm, plan);
        FAIL("expected a LoadError");
    } catch (const LoadError& e) {
        std::string msg = e.what();
        INFO(msg);
        CHECK(msg.rfind(initrd + ": ", 0) == 0);
        CHECK(msg.find("changed size") != std::string::npos);
    }
}

TEST_CASE("the boot CPU starts in the ePAPR state QEMU gives it; secondaries wait") {
    ScratchDir dir;
    auto kernel =
        dir.write("k", make_elf(false, 0xc0000000, {{0xc0000000, 0, pattern(64, 4), 0x58ef14}}));
    auto machine = machine_with(kernel, "", 256 * MiB, 3);
    BootPlan plan = plan_boot(machine);
    vmc::vmm::Vm vm(machine, {});

    load_guest(vm, plan);
    place_dtb(vm, pattern(0x800, 6));

    REQUIRE(vm.boot.cpus.size() == 3);
    const auto& cpu0 = vm.boot.cpus[0];
    CHECK(cpu0.running);
    CHECK(cpu0.pc == 0);
    CHECK(cpu0.msr == 0);
    CHECK(cpu0.pir == 0);
    CHECK(cpu0.gpr[1] == 0x00fffff8);
    CHECK(cpu0.gpr[3] == 0x01d00000);
    CHECK(cpu0.gpr[4] == 0);
    CHECK(cpu0.gpr[5] == 0);
    CHECK(cpu0.gpr[6] == 0x45504150);
    CHECK(cpu0.gpr[7] == 0x04000000);
    REQUIRE(cpu0.tlb1.size() == 1);
    CHECK(cpu0.tlb1[0].index == 0);
    CHECK(cpu0.tlb1[0].entry.mas1 == 0x80000800); // V, TSIZE 64 MiB, no IPROT
    CHECK(cpu0.tlb1[0].entry.mas2 == 0);
    CHECK(cpu0.tlb1[0].entry.mas7_3 == 0x3f);
    CHECK(cpu0.tlb1[0].entry.mas8 == 0);
    for (uint32_t i = 1; i < 3; ++i) {
        CHECK_FALSE(vm.boot.cpus[i].running);
        CHECK(vm.boot.cpus[i].pir == i);
        CHECK(vm.boot.cpus[i].tlb1.empty());
    }
    CHECK(vm.boot.dtb_address == 0x01d00000);
    CHECK(vm.boot.dtb_size == 0x800);
    Bytes dtb(0x800);
    REQUIRE(vm.ram.read(0x01d00000, dtb));
    CHECK(dtb == pattern(0x800, 6));
    CHECK(vm.dtb == dtb);
}

TEST_CASE("the initial mapping is the smallest power of 4 covering the DTB, at least 64 MiB") {
    using vmc::vmm::initial_map_tsize;
    CHECK(initial_map_tsize(0x01900000) == 16);     // 25 MiB -> 64 MiB
    CHECK(initial_map_tsize(0x04000000 - 1) == 16); // just below 64 MiB
    CHECK(initial_map_tsize(0x04000000) == 18);     // exactly 64 MiB needs 256 MiB
    CHECK(initial_map_tsize(0x00100000) == 16);     // never below 64 MiB
}

TEST_CASE("place_dtb refuses blobs that do not fit their reserved space") {
    ScratchDir dir;
    auto kernel = dir.write("k", make_elf(false, 0, {{0, 0, pattern(64, 4), 64}}));
    auto machine = machine_with(kernel);
    BootPlan plan = plan_boot(machine);
    vmc::vmm::Vm vm(machine, {});
    load_guest(vm, plan);

    CHECK_THROWS_WITH(place_dtb(vm, Bytes(2 * MiB, 0)), Catch::Contains("reserved"));
    CHECK_THROWS_WITH(place_dtb(vm, Bytes()), Catch::Contains("empty"));
}

TEST_CASE("load_guest without a kernel is an error") {
    auto machine = machine_with("");
    BootPlan plan = plan_boot(machine);
    vmc::vmm::Vm vm(machine, {});
    CHECK_THROWS_WITH(load_guest(vm, plan), Catch::Contains("no kernel"));
}

TEST_CASE("the reference vmlinux and uImage load where QEMU puts them") {
    // The reference guests sit in ../shared/guest next to the checkout (a
    // worktree checkout is one level deeper); VMC_GUEST_CACHE overrides.
    std::string guest = VMC_SOURCE_DIR "/../shared/guest";
    if (const char* env = std::getenv("VMC_GUEST_CACHE"))
        guest = env;
    else if (!std::filesystem::exists(guest))
        guest = VMC_SOURCE_DIR "/../../shared/guest";
    const std::string vmlinux = guest + "/vmlinux", uimage = guest + "/uImage";
    const std::string initrd = guest + "/initramfs.cpio";
    if (!std::filesystem::exists(vmlinux) || !std::filesystem::exists(uimage) ||
        !std::filesystem::exists(initrd)) {
        WARN("reference guests not present in " << guest << ": skipped");
        return;
    }
    SECTION("vmlinux") {
        BootPlan plan = plan_boot(machine_with(vmlinux, initrd));
        CHECK(plan.kernel->entry == 0);
        CHECK(plan.kernel->load_address == 0);
        CHECK(plan.kernel->end() < 0x00800000); // a few MiB, below the 24 MiB DTB pad
        CHECK(plan.dtb_address == 0x01d00000);
        CHECK(plan.initrd->address == 0x04000000);
    }
#ifdef VMC_NO_ZLIB
    SECTION("uImage: refused by a build without zlib (it is gzip-compressed)") {
        CHECK_THROWS_WITH(plan_boot(machine_with(uimage, initrd)), Catch::Contains("no zlib"));
    }
#else
    SECTION("uImage") {
        BootPlan plan = plan_boot(machine_with(uimage, initrd));
        CHECK(plan.kernel->format == vmc::vmm::loader::KernelFormat::UImage);
        CHECK(plan.kernel->entry == 0);
        CHECK(plan.kernel->load_address == 0);
        auto machine = machine_with(uimage, initrd);
        vmc::vmm::Vm vm(machine, {});
        load_guest(vm, plan);
        CHECK(vm.boot.cpus.at(0).pc == 0);
    }
#endif
}
