// virtio-blk requests as Linux's virtio_blk.c builds them: a 16-byte header
// (type, reserved, sector), data buffers, and a 1-byte status at the end.
#include <catch2/catch.hpp>

#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "devices/registry.hpp"
#include "virtio_driver.hpp"

using namespace vmc;
using namespace vmc::testing;

namespace {
constexpr uint32_t kIn = 0, kOut = 1, kFlush = 4, kGetId = 8;
constexpr uint8_t kOk = 0, kIoErr = 1, kUnsupported = 2;
constexpr uint64_t kFeatureRo = 1u << 5, kFeatureFlush = 1u << 9, kFeatureSegMax = 1u << 2,
                   kFeatureSizeMax = 1u << 1;
constexpr uint64_t kHeader = kData, kBuffer = kData + 0x1000, kStatus = kData + 0x800;

struct TempImage {
    std::string path;
    explicit TempImage(size_t sectors, const std::string& tag = "blk") {
        path = "/tmp/vmc-" + tag + "-" + std::to_string(getpid()) + "-" +
               std::to_string(counter()++) + ".img";
        std::string data(sectors * 512, '\0');
        for (size_t s = 0; s < sectors; ++s)
            std::snprintf(&data[s * 512], 512, "sector %zu", s);
        std::ofstream(path, std::ios::binary) << data;
    }
    ~TempImage() { unlink(path.c_str()); }
    std::string sector(size_t s) const {
        std::ifstream f(path, std::ios::binary);
        std::string out(512, '\0');
        f.seekg(static_cast<std::streamoff>(s * 512));
        f.read(out.data(), 512);
        return out;
    }
    static int& counter() {
        static int n = 0;
        return n;
    }
};

struct Blk {
    model::Machine machine;
    vmm::Vm vm;
    std::unique_ptr<vmm::Device> dev;
    Driver drv;
    Blk(const TempImage& image, nlohmann::json extra = nlohmann::json::object())
        : machine(machine_with("virtio-blk", with_image(image, extra))), vm(machine, {}),
          dev(devices::find_device_kind("virtio-blk")->create(machine.devices[0], vm)), drv{vm,
                                                                                            *dev} {}
    static nlohmann::json with_image(const TempImage& image, nlohmann::json extra) {
        extra["image"] = image.path;
        return extra;
    }
    // One request; returns the status byte and the used length.
    std::pair<uint8_t, uint32_t> request(uint32_t type, uint64_t sector, uint32_t data_len,
                                         bool device_writes) {
        drv.put(kHeader, type, 4);
        drv.put(kHeader + 4, 0, 4);
        drv.put(kHeader + 8, sector, 8);
        drv.put(kStatus, 0xee, 1);
        std::vector<Segment> segs{{kHeader, 16, false}};
        if (data_len) segs.push_back({kBuffer, data_len, device_writes});
        segs.push_back({kStatus, 1, true});
        drv.add(0, segs);
        drv.kick(0);
        auto used = drv.take_used(0);
        REQUIRE(used.size() == 1);
        return {static_cast<uint8_t>(drv.get(kStatus, 1)), used[0].len};
    }
};
} // namespace

TEST_CASE("virtio-blk reports its capacity and limits in config space") {
    TempImage image(8);
    Blk b(image);
    CHECK(b.drv.probe() == 2);
    uint64_t features = b.drv.device_features();
    CHECK((features & kFeatureFlush) != 0);
    CHECK((features & kFeatureSegMax) != 0);
    CHECK((features & kFeatureSizeMax) != 0);
    CHECK((features & kFeatureRo) == 0);
    CHECK(b.drv.config64(0) == 8);
    CHECK(b.drv.readl(0x108) > 0);        // size_max
    CHECK(b.drv.readl(0x10c) > 0);        // seg_max
    CHECK(b.drv.readl(0x10c) <= 256 - 2); // fits the queue with header and status
}

TEST_CASE("virtio-blk reads and writes sectors of the image") {
    TempImage image(8);
    Blk b(image);
    b.drv.init(1, 8, kVersion1 | kFeatureFlush);
    auto [status, len] = b.request(kIn, 3, 512, true);
    CHECK(status == kOk);
    CHECK(len == 513);
    CHECK(b.drv.get_bytes(kBuffer, 8) == "sector 3");

    b.drv.put_bytes(kBuffer, std::string(1024, 'W'));
    std::tie(status, len) = b.request(kOut, 5, 1024, false);
    CHECK(status == kOk);
    CHECK(len == 1);
    CHECK(image.sector(5) == std::string(512, 'W'));
    CHECK(image.sector(6) == std::string(512, 'W'));
    CHECK(image.sector(7).substr(0, 8) == "sector 7");

    std::tie(status, len) = b.request(kFlush, 0, 0, false);
    CHECK(status == kOk);
}

TEST_CASE("virtio-blk data split over several descriptors lands in order") {
    TempImage image(4);
    Blk b(image);
    b.drv.init(1);
    b.drv.put(kHeader, kIn, 4);
    b.drv.put(kHeader + 8, 1, 8);
    // The header itself split 10 + 6, then 200 + 312 data bytes.
    b.drv.add(0, {{kHeader, 10, false},
                  {kHeader + 10, 6, false},
                  {kBuffer, 200, true},
                  {kBuffer + 0x400, 312, true},
                  {kStatus, 1, true}});
    b.drv.kick(0);
    CHECK(b.drv.take_used(0).at(0).len == 513);
    CHECK(b.drv.get(kStatus, 1) == kOk);
    CHECK(b.drv.get_bytes(kBuffer, 8) == "sector 1");
}

TEST_CASE("virtio-blk answers GET_ID with the serial") {
    TempImage image(1);
    Blk b(image, {{"serial", "disk-serial-0001"}});
    b.drv.init(1);
    auto [status, len] = b.request(kGetId, 0, 20, true);
    CHECK(status == kOk);
    CHECK(len == 21);
    CHECK(b.drv.get_bytes(kBuffer, 20) == std::string("disk-serial-0001\0\0\0\0", 20));
}

TEST_CASE(
    "virtio-blk answers out-of-range and malformed requests with a status, not a host error") {
    TempImage image(8);
    Blk b(image);
    b.drv.init(1);
    CHECK(b.request(kIn, 8, 512, true).first == kIoErr);            // just past the end
    CHECK(b.request(kIn, 7, 1024, true).first == kIoErr);           // straddles the end
    CHECK(b.request(kOut, 1ull << 60, 512, false).first == kIoErr); // sector * 512 overflows
    CHECK(b.request(kIn, ~0ull, 512, true).first == kIoErr);
    CHECK(b.request(kIn, 0, 100, true).first == kIoErr); // not whole sectors
    CHECK(b.request(99, 0, 512, true).first == kUnsupported);
    CHECK(image.sector(7).substr(0, 8) == "sector 7");
    CHECK_FALSE(b.drv.needs_reset());
    // Still serving good requests afterwards.
    CHECK(b.request(kIn, 7, 512, true).first == kOk);
}

TEST_CASE("virtio-blk: a request without a status byte breaks the device") {
    TempImage image(1);
    Blk b(image);
    b.drv.init(1);
    b.drv.put(kHeader, kIn, 4);
    b.drv.add(0, {{kHeader, 16, false}});
    b.drv.kick(0);
    CHECK(b.drv.needs_reset());
}

TEST_CASE("virtio-blk read-only: RO offered, writes fail, the image stays untouched") {
    TempImage image(4);
    chmod(image.path.c_str(), 0444); // opened O_RDONLY, so a read-only file works
    Blk b(image, {{"readonly", true}});
    CHECK((b.drv.device_features() & kFeatureRo) != 0);
    b.drv.init(1, 8, kVersion1 | kFeatureRo | kFeatureFlush);
    b.drv.put_bytes(kBuffer, std::string(512, 'X'));
    CHECK(b.request(kOut, 1, 512, false).first == kIoErr);
    CHECK(b.request(kIn, 1, 512, true).first == kOk);
    CHECK(b.request(kFlush, 0, 0, false).first == kOk);
    CHECK(image.sector(1).substr(0, 8) == "sector 1");
}

TEST_CASE("virtio-blk locks its image: a second writer or a writer beside a reader is refused") {
    TempImage image(1, "lock");
    auto kind = devices::find_device_kind("virtio-blk");
    auto writable = machine_with("virtio-blk", {{"image", image.path}});
    auto readonly = machine_with("virtio-blk", {{"image", image.path}, {"readonly", true}});
    vmm::Vm vm(writable, {});

    SECTION("two writers") {
        auto first = kind->create(writable.devices[0], vm);
        CHECK_THROWS_WITH(kind->create(writable.devices[0], vm), Catch::Contains(image.path) &&
                                                                     Catch::Contains("in use") &&
                                                                     Catch::Contains("v0"));
        CHECK_THROWS_WITH(kind->create(readonly.devices[0], vm), Catch::Contains("in use"));
    }
    SECTION("readers share, a writer waits for them") {
        auto first = kind->create(readonly.devices[0], vm);
        auto second = kind->create(readonly.devices[0], vm);
        CHECK_THROWS_WITH(kind->create(writable.devices[0], vm), Catch::Contains("in use"));
    }
    SECTION("the lock goes with the device") {
        kind->create(writable.devices[0], vm).reset();
        CHECK_NOTHROW(kind->create(writable.devices[0], vm));
    }
}

TEST_CASE("virtio-blk names the image it cannot open") {
    auto m = machine_with("virtio-blk", {{"image", "/nonexistent/disk.img"}});
    vmm::Vm vm(m, {});
    CHECK_THROWS_WITH(devices::find_device_kind("virtio-blk")->create(m.devices[0], vm),
                      Catch::Contains("/nonexistent/disk.img") && Catch::Contains("No such file"));
}
