// Durability: a process drives writes and FLUSHes through virtio-blk and
// reports each completed FLUSH through a pipe; it is killed with SIGKILL at
// a random moment. Every write completed before a reported FLUSH must be in
// the image afterwards (the write itself, or a later write to that sector).
#include <catch2/catch.hpp>

#include <csignal>
#include <cstring>
#include <fstream>
#include <random>
#include <sys/wait.h>
#include <unistd.h>

#include "devices/registry.hpp"
#include "virtio_driver.hpp"

using namespace vmc;
using namespace vmc::testing;

namespace {
constexpr uint64_t kSectors = 16;
constexpr uint64_t kWritesPerFlush = 3;
constexpr uint64_t kHeader = kData, kBuffer = kData + 0x1000, kStatus = kData + 0x800;

// Sector contents for write number `seq`: the number, then a fill byte from it.
std::string sector_for(uint64_t seq) {
    std::string s(512, static_cast<char>(seq & 0xff));
    std::memcpy(s.data(), &seq, sizeof seq);
    return s;
}

uint8_t blk_request(Driver& drv, uint32_t type, uint64_t sector, bool with_data) {
    drv.put(kHeader, type, 4);
    drv.put(kHeader + 8, sector, 8);
    drv.put(kStatus, 0xee, 1);
    std::vector<Segment> segs{{kHeader, 16, false}};
    if (with_data) segs.push_back({kBuffer, 512, false});
    segs.push_back({kStatus, 1, true});
    drv.add(0, segs);
    drv.kick(0);
    if (drv.take_used(0).size() != 1) return 0xff;
    return static_cast<uint8_t>(drv.get(kStatus, 1));
}

// The writer; never returns.
[[noreturn]] void writer(const std::string& image, int report_fd) {
    try {
        auto m = machine_with("virtio-blk", {{"image", image}});
        vmm::Vm vm(m, {});
        auto dev = devices::find_device_kind("virtio-blk")->create(m.devices[0], vm);
        Driver drv{vm, *dev};
        drv.init(1, 16, kVersion1 | (1u << 9));
        for (uint64_t seq = 1;; ++seq) {
            drv.put_bytes(kBuffer, sector_for(seq));
            if (blk_request(drv, 1 /* OUT */, seq % kSectors, true) != 0) _exit(3);
            if (seq % kWritesPerFlush == 0) {
                if (blk_request(drv, 4 /* FLUSH */, 0, false) != 0) _exit(4);
                // Only now is every write up to seq promised to the guest.
                if (write(report_fd, &seq, sizeof seq) != sizeof seq) _exit(5);
            }
        }
    } catch (...) {
        _exit(2);
    }
}
} // namespace

TEST_CASE("virtio-blk: every write acknowledged before a FLUSH survives SIGKILL") {
    std::mt19937 rng(std::random_device{}());
    uint64_t total_flushed = 0;
    for (int round = 0; round < 6; ++round) {
        std::string image =
            "/tmp/vmc-durable-" + std::to_string(getpid()) + "-" + std::to_string(round) + ".img";
        std::ofstream(image, std::ios::binary) << std::string(kSectors * 512, '\0');
        int fds[2];
        REQUIRE(pipe(fds) == 0);
        pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            close(fds[0]);
            writer(image, fds[1]);
        }
        close(fds[1]);
        // Wait for the first FLUSH so every round kills a writer in full
        // flow, however slow start-up is (sanitizers), then at a random moment.
        uint64_t flushed = 0, value = 0;
        REQUIRE(read(fds[0], &flushed, sizeof flushed) == sizeof flushed);
        int delay_us = std::uniform_int_distribution<int>(0, 40'000)(rng);
        usleep(static_cast<useconds_t>(delay_us));
        kill(child, SIGKILL);
        int wstatus = 0;
        waitpid(child, &wstatus, 0);
        INFO("round " << round << ", killed " << delay_us << " us after the first FLUSH");
        // A child that stopped on its own failed a request.
        REQUIRE(WIFSIGNALED(wstatus));
        while (read(fds[0], &value, sizeof value) == sizeof value)
            flushed = value;
        close(fds[0]);
        total_flushed += flushed;

        std::ifstream f(image, std::ios::binary);
        std::string content((std::istreambuf_iterator<char>(f)), {});
        REQUIRE(content.size() == kSectors * 512);
        for (uint64_t s = 0; s < kSectors; ++s) {
            // The last write to s that the reported FLUSH covered.
            uint64_t promised = 0;
            for (uint64_t seq = flushed; seq > 0; --seq)
                if (seq % kSectors == s) {
                    promised = seq;
                    break;
                }
            std::string sector = content.substr(s * 512, 512);
            uint64_t found = 0;
            std::memcpy(&found, sector.data(), sizeof found);
            INFO("sector " << s << ": promised write " << promised << ", found " << found);
            CHECK(found >= promised);
            if (found != 0) {
                CHECK(found % kSectors == s);
                CHECK(sector == sector_for(found)); // never a torn or foreign sector
            }
        }
        unlink(image.c_str());
    }
    CHECK(total_flushed > 0); // the writer got far enough for the test to mean something
}
