// virtio-net `user:` — the user-mode network's typed configuration, parsed
// from the machine file's map. Shared by the semantic checks (which report
// each problem at its place in the file) and the backend.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace vmc::devices::virtio_net {

// IPv4 addresses as host-order numbers: 10.0.2.15 is 0x0a00020f.
using Ipv4 = uint32_t;

// A host→guest port forward: connections to host_addr:host_port on the host
// reach guest_addr:guest_port in the guest.
struct Forward {
    bool udp = false;
    Ipv4 host_addr = 0;
    uint16_t host_port = 0;
    Ipv4 guest_addr = 0;
    uint16_t guest_port = 0;
    bool operator==(const Forward&) const = default;
};

// What a forward spec looks like, for messages.
inline constexpr std::string_view kForwardForm =
    "tcp|udp:[HOST_ADDRESS:]HOST_PORT:[GUEST_ADDRESS:]GUEST_PORT, e.g. tcp:127.0.0.1:2222:22";

struct UserNetwork {
    Ipv4 network = 0x0a000200; // 10.0.2.0/24, as QEMU's user network
    unsigned prefix = 24;
    std::string tftp;        // TFTP root (absolute after profile resolution); empty: no TFTP
    std::string bootfile;    // DHCP boot file name; empty: none offered
    bool restricted = false; // the guest reaches only the user network itself and forwards
    std::vector<Forward> forwards;

    Ipv4 netmask() const { return prefix == 0 ? 0 : ~Ipv4{0} << (32 - prefix); }
    Ipv4 host() const { return network + 2; }   // the gateway, and the host's loopback
    Ipv4 dns() const { return network + 3; }    // the DNS forwarder
    Ipv4 guest() const { return network + 15; } // the first (and usual) DHCP address
};

// A problem with a `user:` map: `pointer` is relative to that map
// ("/forward/1"; "" for the map itself).
struct UserProblem {
    std::string pointer;
    std::string message;
    std::string hint;
};

std::string format_ipv4(Ipv4 address);
std::optional<Ipv4> parse_ipv4(std::string_view text);

// Parses one forward spec (see kForwardForm). The host address defaults to
// 127.0.0.1, so a forward is only reachable from this host unless it says
// otherwise; the guest address to `guest_default`. On failure returns nothing
// and sets `error` to what is wrong.
std::optional<Forward> parse_forward(std::string_view spec, Ipv4 guest_default, std::string& error);

// The `user:` map (already shape-checked by the schema) as a UserNetwork;
// nothing, with `problems` filled, when a value is wrong (a bad network or
// forward, a TFTP root that is not a directory).
std::optional<UserNetwork> parse_user_network(const nlohmann::json& user,
                                              std::vector<UserProblem>& problems);

} // namespace vmc::devices::virtio_net
