#include "devices/virtio_net/user_config.hpp"

#include <charconv>
#include <filesystem>

#include <fmt/format.h>

namespace vmc::devices::virtio_net {

namespace {
constexpr Ipv4 kLoopback = 0x7f000001;

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> out;
    for (;;) {
        size_t at = text.find(separator);
        out.push_back(text.substr(0, at));
        if (at == std::string_view::npos) return out;
        text.remove_prefix(at + 1);
    }
}

std::optional<unsigned> parse_number(std::string_view text, unsigned max) {
    unsigned value = 0;
    if (text.empty() || text.size() > 10) return std::nullopt;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value > max) return std::nullopt;
    return value;
}

bool looks_like_address(std::string_view text) {
    return text.find('.') != std::string_view::npos;
}
} // namespace

std::string format_ipv4(Ipv4 a) {
    return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
}

std::optional<Ipv4> parse_ipv4(std::string_view text) {
    auto parts = split(text, '.');
    if (parts.size() != 4) return std::nullopt;
    Ipv4 out = 0;
    for (std::string_view part : parts) {
        // No leading zeros: "010" is octal to some tools and decimal to others.
        if (part.size() > 1 && part[0] == '0') return std::nullopt;
        auto byte = parse_number(part, 255);
        if (!byte) return std::nullopt;
        out = out << 8 | *byte;
    }
    return out;
}

std::optional<Forward> parse_forward(std::string_view spec, Ipv4 guest_default,
                                     std::string& error) {
    auto fields = split(spec, ':');
    Forward f;
    if (fields[0] == "udp")
        f.udp = true;
    else if (fields[0] != "tcp") {
        error = fmt::format("'{}' does not start with tcp: or udp:", spec);
        return std::nullopt;
    }
    fields.erase(fields.begin());
    if (fields.size() < 2 || fields.size() > 4) {
        error = fmt::format("'{}' needs 2 to 4 ':'-separated fields after the protocol, not {}",
                            spec, fields.size());
        return std::nullopt;
    }
    if (fields.size() == 2 && looks_like_address(fields[0])) {
        error = fmt::format("'{}' has a host address but not both ports after it", spec);
        return std::nullopt;
    }
    // Which optional address is present, when only one is: an address has dots, a port none.
    bool host_address = fields.size() == 4 || (fields.size() == 3 && looks_like_address(fields[0]));
    bool guest_address = fields.size() == 4 || (fields.size() == 3 && !host_address);
    size_t i = 0;
    auto address = [&](const char* which, Ipv4& out) {
        auto a = parse_ipv4(fields[i]);
        if (!a)
            error = fmt::format("'{}': {} address '{}' is not an IPv4 address such as {}", spec,
                                which, fields[i], which[0] == 'h' ? "127.0.0.1" : "10.0.2.15");
        else
            out = *a;
        ++i;
        return a.has_value();
    };
    auto port = [&](const char* which, uint16_t& out) {
        auto p = parse_number(fields[i], 65535);
        if (!p || *p == 0)
            error = fmt::format("'{}': {} port '{}' is not a port number from 1 to 65535", spec,
                                which, fields[i]);
        else
            out = static_cast<uint16_t>(*p);
        ++i;
        return p && *p != 0;
    };
    f.host_addr = kLoopback;
    f.guest_addr = guest_default;
    if (host_address && !address("host", f.host_addr)) return std::nullopt;
    if (!port("host", f.host_port)) return std::nullopt;
    if (guest_address && !address("guest", f.guest_addr)) return std::nullopt;
    if (!port("guest", f.guest_port)) return std::nullopt;
    return f;
}

std::optional<UserNetwork> parse_user_network(const nlohmann::json& user,
                                              std::vector<UserProblem>& problems) {
    UserNetwork net;
    size_t before = problems.size();
    if (!user.is_object()) {
        problems.push_back({"", "expected a map of user-network settings", "e.g. user: {}"});
        return std::nullopt;
    }
    if (auto it = user.find("network"); it != user.end() && it->is_string()) {
        std::string text = it->get<std::string>();
        auto parts = split(text, '/');
        auto address = parse_ipv4(parts[0]);
        auto prefix_field = parts.size() == 2 ? parse_number(parts[1], 32) : std::nullopt;
        unsigned prefix = prefix_field.value_or(0);
        if (!address || !prefix_field)
            problems.push_back({"/network", fmt::format("'{}' is not a network", text),
                                "expected ADDRESS/PREFIX, e.g. 10.0.2.0/24"});
        else if (prefix < 8 || prefix > 27)
            problems.push_back(
                {"/network", fmt::format("a /{} network does not fit the user network", prefix),
                 "use a prefix from /8 to /27 (the guest's address is the network's 15th)"});
        else if ((*address & ~(~Ipv4{0} << (32 - prefix))) != 0)
            problems.push_back(
                {"/network", fmt::format("'{}' has host bits set", text),
                 fmt::format("expected the network's first address, e.g. {}/{}",
                             format_ipv4(*address & (~Ipv4{0} << (32 - prefix))), prefix)});
        else {
            net.network = *address;
            net.prefix = prefix;
        }
    }
    if (auto it = user.find("tftp"); it != user.end() && it->is_string()) {
        net.tftp = it->get<std::string>();
        std::error_code ec;
        if (!std::filesystem::is_directory(net.tftp, ec))
            problems.push_back({"/tftp", "TFTP root is not a directory: " + net.tftp,
                                "point it at an existing directory, relative to the machine file"});
    }
    if (auto it = user.find("bootfile"); it != user.end() && it->is_string())
        net.bootfile = it->get<std::string>();
    if (auto it = user.find("restrict"); it != user.end() && it->is_boolean())
        net.restricted = it->get<bool>();
    if (auto it = user.find("forward"); it != user.end() && it->is_array()) {
        for (size_t i = 0; i < it->size(); ++i) {
            const auto& spec = (*it)[i];
            if (!spec.is_string()) continue; // the schema reports it
            std::string error;
            auto f = parse_forward(spec.get<std::string>(), net.guest(), error);
            if (!f) {
                problems.push_back({fmt::format("/forward/{}", i), error,
                                    "expected " + std::string(kForwardForm)});
                continue;
            }
            Ipv4 mask = net.netmask();
            if ((f->guest_addr & mask) != net.network)
                problems.push_back(
                    {fmt::format("/forward/{}", i),
                     fmt::format("guest address {} is outside the user network {}/{}",
                                 format_ipv4(f->guest_addr), format_ipv4(net.network), net.prefix),
                     "leave it out to forward to the guest's DHCP address " +
                         format_ipv4(net.guest())});
            for (const Forward& other : net.forwards)
                if (other.udp == f->udp && other.host_port == f->host_port &&
                    other.host_addr == f->host_addr)
                    problems.push_back({fmt::format("/forward/{}", i),
                                        fmt::format("host port {}:{} is forwarded twice",
                                                    format_ipv4(f->host_addr), f->host_port),
                                        "each host address and port forwards to one place"});
            net.forwards.push_back(*f);
        }
    }
    if (problems.size() != before) return std::nullopt;
    return net;
}

} // namespace vmc::devices::virtio_net
