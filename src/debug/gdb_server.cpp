#include "debug/gdb_server.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

namespace vmc::debug {

ListenAddress parse_listen_address(const std::string& spec) {
    std::string_view s = spec;
    if (s.substr(0, 4) == "tcp:") s.remove_prefix(4);
    size_t colon = s.rfind(':');
    ListenAddress out;
    std::string_view port = s;
    if (colon != std::string_view::npos) {
        out.host = std::string(s.substr(0, colon));
        port = s.substr(colon + 1);
    }
    unsigned value = 0;
    bool ok = !port.empty() && port.size() <= 5;
    for (char c : port) {
        if (c < '0' || c > '9')
            ok = false;
        else
            value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (!ok || value > 65535)
        throw std::invalid_argument(fmt::format(
            "--gdb {}: expected tcp::PORT or tcp:HOST:PORT (for example tcp::1234)", spec));
    out.port = static_cast<uint16_t>(value);
    return out;
}

GdbServer::GdbServer(Target& target, vmm::EventLoop& events, std::function<void()> kill)
    : events_(events), stub_(target, &events, std::move(kill)) {}

GdbServer::~GdbServer() {
    if (listen_fd_ >= 0) {
        events_.remove(listen_fd_);
        ::close(listen_fd_);
    }
}

void GdbServer::listen(const ListenAddress& address) {
    std::string host = address.host.empty() ? "127.0.0.1" : address.host;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    addrinfo* found = nullptr;
    std::string port = std::to_string(address.port);
    if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0)
        throw std::runtime_error(fmt::format("--gdb: {}: {}", host, ::gai_strerror(rc)));
    std::string error = "no address";
    for (addrinfo* a = found; a; a = a->ai_next) {
        int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) continue;
        int one = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 1) == 0) {
            listen_fd_ = fd;
            break;
        }
        error = std::strerror(errno);
        ::close(fd);
    }
    ::freeaddrinfo(found);
    if (listen_fd_ < 0)
        throw std::runtime_error(
            fmt::format("--gdb: cannot listen on {}:{}: {}", host, address.port, error));
    events_.add_reader(listen_fd_, [this] { accept_client(); });
}

std::string GdbServer::bound_address() const {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (listen_fd_ < 0 || ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&ss), &len) != 0)
        return "?";
    char host[NI_MAXHOST], port[NI_MAXSERV];
    if (::getnameinfo(reinterpret_cast<sockaddr*>(&ss), len, host, sizeof host, port, sizeof port,
                      NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return "?";
    return fmt::format("{}:{}", host, port);
}

void GdbServer::accept_client() {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    if (stub_.connected()) { // one debugger at a time
        ::close(fd);
        return;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    stub_.connect(fd);
}

void GdbServer::wait_for_client() {
    while (!stub_.connected() && listen_fd_ >= 0)
        accept_client();
}

} // namespace vmc::debug
