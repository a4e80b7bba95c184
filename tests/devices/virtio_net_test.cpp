// virtio-net over a socket pair standing in for the tap: each datagram is
// one frame with its 12-byte virtio-net header, as a tap with IFF_VNET_HDR
// and TUNSETVNETHDRSZ 12 presents them.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "devices/registry.hpp"
#include "devices/virtio_net/net_device.hpp"
#include "virtio_driver.hpp"

using namespace vmc;
using namespace vmc::testing;
using devices::virtio_net::kNetHeaderSize;

namespace {
constexpr unsigned kRx = 0, kTx = 1;
constexpr uint64_t kFeatureMac = 1u << 5;

struct Net {
    model::Machine machine = machine_with("virtio-net", {{"tap", "unused"}});
    vmm::Vm vm{machine, {}};
    Line line;
    int peer = -1;
    std::unique_ptr<vmm::Device> dev;
    Driver drv;
    Net() : dev(make()), drv{vm, *dev} { vm.irq.connect(&line); }
    ~Net() { close(peer); }
    std::unique_ptr<vmm::Device> make() {
        int fds[2];
        REQUIRE(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0);
        peer = fds[1];
        return devices::virtio_net::make_device(
            machine.devices[0], vm, devices::virtio_net::make_fd_backend(vm.events, fds[0]),
            {0x52, 0x54, 0, 1, 2, 3});
    }
    void host_sends(const std::string& frame) {
        std::string packet = std::string(kNetHeaderSize, '\0') + frame;
        REQUIRE(send(peer, packet.data(), packet.size(), 0) == static_cast<ssize_t>(packet.size()));
    }
    std::string host_receives() {
        std::string buf(70000, '\0');
        ssize_t n = recv(peer, buf.data(), buf.size(), MSG_DONTWAIT);
        return n < 0 ? std::string() : buf.substr(0, static_cast<size_t>(n));
    }
};
} // namespace

TEST_CASE("virtio-net offers its MAC address in config space") {
    Net n;
    CHECK(n.drv.probe() == 1);
    CHECK((n.drv.device_features() & kFeatureMac) != 0);
    std::string mac;
    for (int i = 0; i < 6; ++i)
        mac.push_back(static_cast<char>(n.drv.readb(0x100 + i)));
    CHECK(mac == std::string("\x52\x54\x00\x01\x02\x03", 6));
}

TEST_CASE("virtio-net transmits header and frame to the tap as one packet") {
    Net n;
    n.drv.init(2);
    std::string header(kNetHeaderSize, '\0');
    n.drv.put_bytes(kData, header);
    n.drv.put_bytes(kData + 0x100, "ethernet frame bytes");
    n.drv.add(kTx,
              {{kData, static_cast<uint32_t>(kNetHeaderSize), false}, {kData + 0x100, 20, false}});
    n.drv.kick(kTx);
    CHECK(n.host_receives() == header + "ethernet frame bytes");
    CHECK(n.drv.take_used(kTx).size() == 1);
    CHECK(n.drv.interrupt() == 1);
}

TEST_CASE("virtio-net delivers frames from the tap into posted receive buffers") {
    Net n;
    n.drv.init(2);
    n.drv.add(kRx, {{kData, 2048, true}});
    n.drv.kick(kRx);
    n.host_sends("frame one");
    n.vm.events.poll(0);
    auto used = n.drv.take_used(kRx);
    REQUIRE(used.size() == 1);
    CHECK(used[0].len == kNetHeaderSize + 9);
    CHECK(n.drv.get(kData + 10, 2) == 1); // num_buffers
    CHECK(n.drv.get_bytes(kData + kNetHeaderSize, 9) == "frame one");
    CHECK(n.line.level);
}

TEST_CASE("virtio-net keeps frames in the tap until the guest posts buffers") {
    Net n;
    n.drv.init(2);
    n.host_sends("early 1");
    n.host_sends("early 2");
    n.vm.events.poll(0);
    CHECK(n.drv.take_used(kRx).empty());
    CHECK(n.vm.events.poll(0) == 0); // no longer watching the tap: no busy loop

    n.drv.add(kRx, {{kData, 2048, true}});
    n.drv.add(kRx, {{kData + 0x1000, 2048, true}});
    n.drv.kick(kRx);
    n.vm.events.poll(0);
    auto used = n.drv.take_used(kRx);
    REQUIRE(used.size() == 2);
    CHECK(n.drv.get_bytes(kData + kNetHeaderSize, 7) == "early 1");
    CHECK(n.drv.get_bytes(kData + 0x1000 + kNetHeaderSize, 7) == "early 2");
}

TEST_CASE("virtio-net drops a frame larger than the posted buffer and keeps the buffer") {
    Net n;
    n.drv.init(2);
    n.drv.add(kRx, {{kData, 64, true}});
    n.drv.kick(kRx);
    n.host_sends(std::string(1000, 'B'));
    n.host_sends("fits");
    n.vm.events.poll(0);
    auto used = n.drv.take_used(kRx);
    REQUIRE(used.size() == 1);
    CHECK(n.drv.get_bytes(kData + kNetHeaderSize, 4) == "fits");
    CHECK_FALSE(n.drv.needs_reset());
}

TEST_CASE("virtio-net derives a stable locally administered MAC when none is given") {
    using devices::virtio_net::mac_address;
    auto a = mac_address("", "vm", "net0");
    CHECK(a == mac_address("", "vm", "net0"));
    CHECK(a != mac_address("", "vm", "net1"));
    CHECK(a[0] == 0x52);
    CHECK((a[0] & 1) == 0); // unicast
    CHECK(mac_address("02:00:00:aa:bb:cc", "vm", "net0") ==
          devices::virtio_net::Mac{0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc});
    CHECK_THROWS_WITH(mac_address("02:00:00:aa:bb", "vm", "net0"), Catch::Contains("net0"));
    CHECK_THROWS_WITH(mac_address("01:00:5e:00:00:01", "vm", "net0"), Catch::Contains("multicast"));
}

TEST_CASE("virtio-net: a tap that cannot be opened is a clear error naming it") {
    auto m = machine_with("virtio-net", {{"tap", "vmctest-nope0"}});
    vmm::Vm vm(m, {});
    std::unique_ptr<vmm::Device> dev;
    try {
        dev = devices::find_device_kind("virtio-net")->create(m.devices[0], vm);
    } catch (const std::runtime_error& e) {
        std::string what = e.what();
        INFO(what);
        CHECK(what.find("vmctest-nope0") != std::string::npos);
        CHECK(what.find("v0") != std::string::npos);
        bool says_why = what.find("/dev/net/tun") != std::string::npos ||
                        what.find("permission") != std::string::npos;
        CHECK(says_why);
    }
    if (dev) CHECK(Driver{vm, *dev}.probe() == 1); // a host that allows taps gets a working device
    CHECK_THROWS_WITH(devices::virtio_net::open_tap("net0", std::string(40, 'x')),
                      Catch::Contains("characters"));
}
