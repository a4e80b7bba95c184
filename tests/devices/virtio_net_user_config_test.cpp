// virtio-net `user:`: the forward-spec parser and the map's checks.
#include <catch2/catch.hpp>

#include <filesystem>

#include "devices/virtio_net/user_config.hpp"

using namespace vmc::devices::virtio_net;

namespace {
constexpr Ipv4 kGuest = 0x0a00020f, kLoopback = 0x7f000001;

Forward forward(std::string_view spec) {
    std::string error;
    auto f = parse_forward(spec, kGuest, error);
    INFO(error);
    REQUIRE(f);
    return *f;
}

std::string forward_error(std::string_view spec) {
    std::string error;
    CHECK_FALSE(parse_forward(spec, kGuest, error));
    return error;
}

std::vector<UserProblem> problems_of(const nlohmann::json& user) {
    std::vector<UserProblem> problems;
    auto net = parse_user_network(user, problems);
    CHECK(net.has_value() == problems.empty());
    return problems;
}
} // namespace

TEST_CASE("forward spec: protocol, host address and port, guest port") {
    CHECK(forward("tcp:127.0.0.1:2222:22") == Forward{false, kLoopback, 2222, kGuest, 22});
    CHECK(forward("udp:0.0.0.0:5353:53") == Forward{true, 0, 5353, kGuest, 53});
}

TEST_CASE("forward spec: the host address defaults to loopback, the guest's to its DHCP address") {
    CHECK(forward("tcp:8080:80") == Forward{false, kLoopback, 8080, kGuest, 80});
    CHECK(forward("tcp:8080:10.0.2.16:80") == Forward{false, kLoopback, 8080, 0x0a000210, 80});
    CHECK(forward("tcp:192.168.1.5:8080:10.0.2.16:80") ==
          Forward{false, 0xc0a80105, 8080, 0x0a000210, 80});
}

TEST_CASE("forward spec: each mistake is named") {
    CHECK_THAT(forward_error("sctp:1:2"), Catch::Contains("tcp: or udp:"));
    CHECK_THAT(forward_error("tcp"), Catch::Contains("not 0"));
    CHECK_THAT(forward_error("tcp:2222"), Catch::Contains("not 1"));
    CHECK_THAT(forward_error("tcp:1:2:3:4:5"), Catch::Contains("not 5"));
    CHECK_THAT(forward_error("tcp:127.0.0.1:2222-22"), Catch::Contains("not both ports"));
    CHECK_THAT(forward_error("tcp:127.0.0.1:2222-22:22"), Catch::Contains("host port '2222-22'"));
    CHECK_THAT(forward_error("tcp:2222:65536"), Catch::Contains("guest port '65536'"));
    CHECK_THAT(forward_error("tcp:0:22"), Catch::Contains("host port '0'"));
    CHECK_THAT(forward_error("tcp:127.0.0.256:2222:22"), Catch::Contains("host address"));
    CHECK_THAT(forward_error("tcp:2222:10.0.2:22"), Catch::Contains("guest address '10.0.2'"));
    CHECK_THAT(forward_error("tcp:localhost:2222:22"), Catch::Contains("port 'localhost'"));
    CHECK_THAT(forward_error("tcp:2222:+22"), Catch::Contains("guest port"));
}

TEST_CASE("IPv4 addresses: dotted quads only, no leading zeros") {
    CHECK(parse_ipv4("10.0.2.15") == Ipv4{0x0a00020f});
    CHECK(parse_ipv4("255.255.255.255") == Ipv4{0xffffffff});
    CHECK_FALSE(parse_ipv4("10.0.2"));
    CHECK_FALSE(parse_ipv4("10.0.2.015"));
    CHECK_FALSE(parse_ipv4("10.0.2.15."));
    CHECK_FALSE(parse_ipv4("10.0.-2.15"));
    CHECK(format_ipv4(0x0a000202) == "10.0.2.2");
}

TEST_CASE("user network: QEMU's addresses by default, derived from `network:` otherwise") {
    std::vector<UserProblem> problems;
    auto net = parse_user_network(nlohmann::json::object(), problems);
    REQUIRE(net);
    CHECK(format_ipv4(net->host()) == "10.0.2.2");
    CHECK(format_ipv4(net->dns()) == "10.0.2.3");
    CHECK(format_ipv4(net->guest()) == "10.0.2.15");
    CHECK(format_ipv4(net->netmask()) == "255.255.255.0");

    net = parse_user_network({{"network", "192.168.76.0/26"}, {"forward", {"tcp:2222:22"}}},
                             problems);
    REQUIRE(net);
    CHECK(format_ipv4(net->guest()) == "192.168.76.15");
    CHECK(format_ipv4(net->netmask()) == "255.255.255.192");
    REQUIRE(net->forwards.size() == 1);
    CHECK(format_ipv4(net->forwards[0].guest_addr) == "192.168.76.15");
}

TEST_CASE("user network: a bad network, forward or TFTP root is reported at its place") {
    auto p = problems_of({{"network", "10.0.2.0"}});
    REQUIRE(p.size() == 1);
    CHECK(p[0].pointer == "/network");
    CHECK_THAT(p[0].hint, Catch::Contains("ADDRESS/PREFIX"));
    CHECK_THAT(problems_of({{"network", "10.0.2.0/30"}})[0].message, Catch::Contains("/30"));
    CHECK_THAT(problems_of({{"network", "10.0.2.1/24"}})[0].hint, Catch::Contains("10.0.2.0/24"));

    p = problems_of({{"forward", {"tcp:2222:22", "tcp:2222-22", "tcp:2222:23"}}});
    REQUIRE(p.size() == 2);
    CHECK(p[0].pointer == "/forward/1");
    CHECK_THAT(p[0].hint, Catch::Contains("tcp:127.0.0.1:2222:22"));
    CHECK(p[1].pointer == "/forward/2");
    CHECK_THAT(p[1].message, Catch::Contains("forwarded twice"));
    // The same port over the other protocol is a different forward.
    CHECK(problems_of({{"forward", {"tcp:2222:22", "udp:2222:22"}}}).empty());

    p = problems_of({{"forward", {"tcp:2222:10.0.3.15:22"}}});
    REQUIRE(p.size() == 1);
    CHECK_THAT(p[0].message, Catch::Contains("outside the user network 10.0.2.0/24"));

    p = problems_of({{"tftp", "/no/such/tftp/root"}});
    REQUIRE(p.size() == 1);
    CHECK(p[0].pointer == "/tftp");
    CHECK_THAT(p[0].message, Catch::Contains("/no/such/tftp/root"));
    CHECK(problems_of({{"tftp", std::filesystem::temp_directory_path().string()}}).empty());

    CHECK(problems_of(nlohmann::json::array())[0].pointer.empty());
}
