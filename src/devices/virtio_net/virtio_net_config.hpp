// virtio-net: typed configuration.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "devices/virtio/virtio_config.hpp"
#include "devices/virtio_net/user_config.hpp"

namespace vmc::devices::virtio_net {

struct Config : virtio::MmioConfig {
    std::string tap;                 // host tap interface name; empty: none
    std::optional<UserNetwork> user; // the user-mode network instead of a tap
    // What is wrong with a `user:` map that was given (then `user` is empty);
    // the kind's check reports each at its place in the file.
    std::vector<UserProblem> user_problems;
    std::string mac; // "52:54:00:12:34:56"; empty: derived from the device name

    bool has_user() const { return user || !user_problems.empty(); }
};

inline Config parse(const model::Device& d) {
    Config c;
    virtio::parse_mmio(d, c);
    c.tap = optional_field<std::string>(d, "tap").value_or("");
    if (auto it = d.props.find("user"); it != d.props.end() && !it->is_null())
        c.user = parse_user_network(*it, c.user_problems);
    c.mac = optional_field<std::string>(d, "mac").value_or("");
    return c;
}

} // namespace vmc::devices::virtio_net
