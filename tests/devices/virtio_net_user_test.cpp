// virtio-net's user-mode network (libslirp) from the guest's side of the
// wire: Ethernet frames in, Ethernet frames out, with the host's end on this
// machine's loopback. Each test drives the VM's event loop as the run loop
// would.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <netinet/in.h>
#include <optional>
#include <sys/socket.h>
#include <unistd.h>

#include "devices/virtio_net/net_device.hpp"
#include "virtio_driver.hpp"

using namespace vmc;
using namespace vmc::testing;
using namespace vmc::devices::virtio_net;

namespace {
using Bytes = std::vector<uint8_t>;
const Mac kGuestMac = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
constexpr Ipv4 kGuestIp = 0x0a00020f, kGatewayIp = 0x0a000202;

void put16(Bytes& b, uint16_t v) {
    b.push_back(static_cast<uint8_t>(v >> 8));
    b.push_back(static_cast<uint8_t>(v));
}
void put32(Bytes& b, uint32_t v) {
    put16(b, static_cast<uint16_t>(v >> 16));
    put16(b, static_cast<uint16_t>(v));
}
uint16_t get16(const Bytes& b, size_t at) {
    return static_cast<uint16_t>(b.at(at) << 8 | b.at(at + 1));
}
uint32_t get32(const Bytes& b, size_t at) {
    return uint32_t{get16(b, at)} << 16 | get16(b, at + 2);
}

Bytes ethernet(const Mac& to, uint16_t type) {
    Bytes b(to.begin(), to.end());
    b.insert(b.end(), kGuestMac.begin(), kGuestMac.end());
    put16(b, type);
    return b;
}

Bytes arp_request(Ipv4 wanted) {
    Bytes b = ethernet({0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 0x0806);
    put16(b, 1);      // Ethernet
    put16(b, 0x0800); // IPv4
    b.push_back(6);
    b.push_back(4);
    put16(b, 1); // request
    b.insert(b.end(), kGuestMac.begin(), kGuestMac.end());
    put32(b, kGuestIp);
    b.insert(b.end(), 6, 0);
    put32(b, wanted);
    return b;
}

// An IPv4/UDP frame (UDP checksum 0: none, which IPv4 allows).
Bytes udp(Ipv4 from, uint16_t from_port, Ipv4 to, uint16_t to_port, const Bytes& payload,
          const Mac& to_mac = {0x52, 0x55, 0x0a, 0x00, 0x02, 0x02}) {
    Bytes b = ethernet(to_mac, 0x0800);
    size_t ip = b.size();
    b.push_back(0x45);
    b.push_back(0);
    put16(b, static_cast<uint16_t>(20 + 8 + payload.size()));
    put32(b, 0);      // id, flags, fragment
    put16(b, 0x4011); // TTL 64, UDP
    put16(b, 0);      // checksum, below
    put32(b, from);
    put32(b, to);
    uint32_t sum = 0;
    for (size_t i = ip; i < ip + 20; i += 2)
        sum += get16(b, i);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    b[ip + 10] = static_cast<uint8_t>(~sum >> 8);
    b[ip + 11] = static_cast<uint8_t>(~sum);
    put16(b, from_port);
    put16(b, to_port);
    put16(b, static_cast<uint16_t>(8 + payload.size()));
    put16(b, 0);
    b.insert(b.end(), payload.begin(), payload.end());
    return b;
}

struct Udp {
    Ipv4 from, to;
    uint16_t from_port, to_port;
    Bytes payload;
};
std::optional<Udp> as_udp(const Bytes& f) {
    if (f.size() < 42 || get16(f, 12) != 0x0800 || f[23] != 17) return std::nullopt;
    size_t l4 = 14 + (f[14] & 0xf) * 4u;
    uint16_t length = get16(f, l4 + 4);
    return Udp{
        get32(f, 26), get32(f, 30), get16(f, l4), get16(f, l4 + 2),
        Bytes(f.begin() + static_cast<long>(l4) + 8, f.begin() + static_cast<long>(l4) + length)};
}

struct UserNet {
    model::Machine machine = machine_with("virtio-net", {{"user", nlohmann::json::object()}});
    vmm::Vm vm{machine, {}};
    std::unique_ptr<Backend> net;
    explicit UserNet(const UserNetwork& config = {}) : net(make_user_backend("net0", config, vm)) {}

    // The next frame for the guest, running the event loop until one comes (at most ~2 s).
    std::optional<Bytes> next_frame() {
        Bytes buf(65536);
        for (int i = 0; i < 200; ++i) {
            if (size_t n = net->receive(buf)) return Bytes(buf.begin(), buf.begin() + n);
            vm.events.poll(10);
            vm.timers.run_due(vm.clock.now_ns());
        }
        return std::nullopt;
    }
    // Introduces the guest: slirp learns its MAC from the ARP request.
    void arp_for_gateway() {
        net->send(arp_request(kGatewayIp));
        auto reply = next_frame();
        REQUIRE(reply);
        REQUIRE(get16(*reply, 12) == 0x0806);
    }
};

uint16_t bound_port(int s) {
    sockaddr_in a{};
    socklen_t len = sizeof a;
    getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    return ntohs(a.sin_port);
}

// A TCP socket listening on loopback at a port the system picked.
int tcp_listener() {
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(listen(s, 1) == 0);
    return s;
}

uint16_t free_tcp_port() {
    int s = tcp_listener();
    uint16_t port = bound_port(s);
    close(s);
    return port;
}

int udp_socket(uint16_t& port) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    port = bound_port(s);
    return s;
}
} // namespace

#if VMC_HAVE_SLIRP

TEST_CASE("user network: the gateway answers the guest's ARP through the virtio queues") {
    UserNet n;
    Line line;
    n.vm.irq.connect(&line);
    auto dev = make_device(n.machine.devices[0], n.vm, std::move(n.net), kGuestMac);
    Driver drv{n.vm, *dev};
    drv.init(2);
    drv.add(0, {{kData, 2048, true}});
    drv.kick(0);
    Bytes request = arp_request(kGatewayIp);
    std::string header(kNetHeaderSize, '\0');
    drv.put_bytes(kData + 0x1000, header + std::string(request.begin(), request.end()));
    drv.add(1, {{kData + 0x1000, static_cast<uint32_t>(kNetHeaderSize + request.size()), false}});
    drv.kick(1);

    auto used = drv.take_used(0);
    REQUIRE(used.size() == 1);
    std::string got = drv.get_bytes(kData, used[0].len);
    Bytes reply(got.begin() + kNetHeaderSize, got.end());
    CHECK(Mac{reply[0], reply[1], reply[2], reply[3], reply[4], reply[5]} == kGuestMac);
    CHECK(get16(reply, 12) == 0x0806);
    CHECK(get16(reply, 20) == 2);          // a reply
    CHECK(get32(reply, 28) == kGatewayIp); // from the gateway
    CHECK(drv.get(kData + 10, 2) == 1);    // num_buffers
    CHECK(line.level);
}

TEST_CASE("user network: DHCP offers the network's 15th address, the gateway and DNS") {
    UserNetwork config;
    config.bootfile = "uImage";
    UserNet n(config);
    Bytes dhcp(240, 0);
    dhcp[0] = 1; // BOOTREQUEST
    dhcp[1] = 1;
    dhcp[2] = 6;
    dhcp[4] = 0x12, dhcp[5] = 0x34, dhcp[6] = 0x56, dhcp[7] = 0x78; // xid
    std::copy(kGuestMac.begin(), kGuestMac.end(), dhcp.begin() + 28);
    dhcp[236] = 0x63, dhcp[237] = 0x82, dhcp[238] = 0x53, dhcp[239] = 0x63;
    for (uint8_t b : {53, 1, 1, 255}) // DHCPDISCOVER
        dhcp.push_back(b);
    dhcp.resize(548); // a whole BOOTP message: slirp ignores shorter ones
    n.net->send(udp(0, 68, 0xffffffff, 67, dhcp, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}));

    auto frame = n.next_frame();
    REQUIRE(frame);
    auto reply = as_udp(*frame);
    REQUIRE(reply);
    CHECK(reply->from == kGatewayIp);
    CHECK(reply->from_port == 67);
    CHECK(reply->to_port == 68);
    const Bytes& p = reply->payload;
    REQUIRE(p.size() > 240);
    CHECK(get32(p, 4) == 0x12345678);
    CHECK(get32(p, 16) == kGuestIp); // yiaddr
    CHECK(std::string(reinterpret_cast<const char*>(&p[108])) == "uImage");
    std::map<uint8_t, Bytes> options;
    for (size_t i = 240; i + 1 < p.size() && p[i] != 255; i += 2u + p[i + 1])
        options[p[i]] = Bytes(p.begin() + static_cast<long>(i) + 2,
                              p.begin() + static_cast<long>(i) + 2 + p[i + 1]);
    CHECK(options[53] == Bytes{2}); // DHCPOFFER
    CHECK(get32(options[1], 0) == 0xffffff00);
    CHECK(get32(options[3], 0) == kGatewayIp);
    CHECK(get32(options[6], 0) == 0x0a000203);
}

TEST_CASE("user network: the guest's UDP to the gateway reaches the host's loopback and back") {
    uint16_t port = 0;
    int server = udp_socket(port);
    UserNet n;
    n.arp_for_gateway();
    n.net->send(udp(kGuestIp, 4000, kGatewayIp, port, {'p', 'i', 'n', 'g'}));

    char buf[64];
    sockaddr_in from{};
    socklen_t from_len = sizeof from;
    ssize_t got = -1;
    for (int i = 0; i < 200 && got < 0; ++i) {
        n.vm.events.poll(10);
        got = recvfrom(server, buf, sizeof buf, MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&from),
                       &from_len);
    }
    REQUIRE(got == 4);
    CHECK(std::string(buf, 4) == "ping");
    CHECK(ntohl(from.sin_addr.s_addr) == INADDR_LOOPBACK);

    REQUIRE(sendto(server, "pong", 4, 0, reinterpret_cast<sockaddr*>(&from), from_len) == 4);
    auto frame = n.next_frame(); // the host socket's readiness comes through the event loop
    REQUIRE(frame);
    auto reply = as_udp(*frame);
    REQUIRE(reply);
    CHECK(reply->from == kGatewayIp);
    CHECK(reply->from_port == port);
    CHECK(reply->to == kGuestIp);
    CHECK(reply->to_port == 4000);
    CHECK(reply->payload == Bytes{'p', 'o', 'n', 'g'});
    close(server);
}

TEST_CASE("user network: restrict keeps the guest's traffic from leaving the user network") {
    uint16_t port = 0;
    int server = udp_socket(port);
    UserNetwork config;
    config.restricted = true;
    UserNet n(config);
    n.arp_for_gateway();
    n.net->send(udp(kGuestIp, 4000, kGatewayIp, port, {'p', 'i', 'n', 'g'}));
    for (int i = 0; i < 20; ++i)
        n.vm.events.poll(10);
    char buf[16];
    CHECK(recv(server, buf, sizeof buf, MSG_DONTWAIT) < 0);
    close(server);
}

TEST_CASE("user network: TFTP serves files from the tftp root and nothing outside it") {
    auto root = std::filesystem::temp_directory_path() / ("vmc-tftp-" + std::to_string(getpid()));
    std::filesystem::create_directories(root);
    std::ofstream(root / "boot.txt") << "kernel bytes";
    UserNetwork config;
    config.tftp = root.string();
    UserNet n(config);
    n.arp_for_gateway();
    auto rrq = [](const std::string& name) {
        std::string packet = std::string("\0\1", 2) + name + '\0' + "octet" + '\0';
        return Bytes(packet.begin(), packet.end());
    };

    n.net->send(udp(kGuestIp, 5000, kGatewayIp, 69, rrq("boot.txt")));
    auto data = n.next_frame();
    REQUIRE(data);
    auto block = as_udp(*data);
    REQUIRE(block);
    CHECK(block->to_port == 5000);
    CHECK(block->payload ==
          Bytes{0, 3, 0, 1, 'k', 'e', 'r', 'n', 'e', 'l', ' ', 'b', 'y', 't', 'e', 's'});

    n.net->send(udp(kGuestIp, 5001, kGatewayIp, 69, rrq("../boot.txt")));
    auto refused = n.next_frame();
    REQUIRE(refused);
    auto error = as_udp(*refused);
    REQUIRE(error);
    CHECK(get16(error->payload, 0) == 5); // ERROR
    std::filesystem::remove_all(root);
}

TEST_CASE("user network: a connection to a forward's host port reaches the guest's port") {
    uint16_t port = free_tcp_port();
    UserNetwork config;
    config.forwards.push_back({false, 0x7f000001, port, kGuestIp, 22});
    UserNet n(config);
    n.arp_for_gateway();

    int client = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connect(client, reinterpret_cast<sockaddr*>(&a), sizeof a); // in progress or done
    auto syn = n.next_frame();
    REQUIRE(syn);
    REQUIRE(get16(*syn, 12) == 0x0800);
    CHECK((*syn)[23] == 6); // TCP
    CHECK(get32(*syn, 26) == kGatewayIp);
    CHECK(get32(*syn, 30) == kGuestIp);
    CHECK(get16(*syn, 36) == 22);    // destination port
    CHECK(((*syn)[47] & 0x02) != 0); // SYN
    close(client);
}

TEST_CASE("user network: a forward whose host port is taken names the device and the port") {
    int taken = tcp_listener();
    uint16_t port = bound_port(taken);
    UserNetwork config;
    config.forwards.push_back({false, 0x7f000001, port, kGuestIp, 22});
    auto m = machine_with("virtio-net", {{"user", nlohmann::json::object()}});
    vmm::Vm vm(m, {});
    CHECK_THROWS_WITH(make_user_backend("net0", config, vm),
                      Catch::Contains("net0") &&
                          Catch::Contains("127.0.0.1:" + std::to_string(port)));
    close(taken);
}

TEST_CASE("user network: frames the guest does not take wait within a byte limit") {
    UserNet n;
    for (int i = 0; i < 40000; ++i) // 40000 ARP replies of at least 42 bytes: over the limit
        n.net->send(arp_request(kGatewayIp));
    Bytes buf(2048);
    size_t frames = 0, bytes = 0;
    while (size_t got = n.net->receive(buf)) {
        ++frames;
        bytes += got;
    }
    CHECK(frames > 1000);
    CHECK(frames < 40000);
    CHECK(bytes <= (1u << 20));
}

#else

TEST_CASE("user network: a build without libslirp refuses `user:` with a reason") {
    auto m = machine_with("virtio-net", {{"user", nlohmann::json::object()}});
    vmm::Vm vm(m, {});
    CHECK_THROWS_WITH(make_user_backend("net0", {}, vm), Catch::Contains("without libslirp"));
}

#endif
