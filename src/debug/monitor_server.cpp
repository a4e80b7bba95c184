#include "debug/monitor_server.hpp"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace vmc::debug {

std::string parse_monitor_address(const std::string& spec) {
    if (!spec.starts_with("unix:") || spec.size() == 5)
        throw std::invalid_argument(
            fmt::format("--monitor {}: expected unix:PATH (a socket vmcompose listens on)", spec));
    return spec.substr(5);
}

MonitorServer::MonitorServer(const std::string& path, vmm::MonitorPort& monitor,
                             vmm::EventLoop& events)
    : path_(path), monitor_(monitor), events_(events) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path)
        throw std::runtime_error(fmt::format("--monitor unix:{}: path longer than {} bytes", path,
                                             sizeof addr.sun_path - 1));
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode))
            throw std::runtime_error(
                fmt::format("--monitor unix:{}: exists and is not a socket", path));
        ::unlink(path.c_str()); // left behind by an earlier run
    }
    listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 ||
        ::listen(listen_fd_, 1) < 0) {
        int err = errno;
        if (listen_fd_ >= 0) ::close(listen_fd_);
        throw std::runtime_error(fmt::format("--monitor unix:{}: {}", path, std::strerror(err)));
    }
    events_.add_reader(listen_fd_, [this] { on_accept(); });
}

MonitorServer::~MonitorServer() {
    drop_client();
    events_.remove(listen_fd_);
    ::close(listen_fd_);
    ::unlink(path_.c_str());
}

void MonitorServer::on_accept() {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    drop_client();
    client_fd_ = fd;
    events_.add_reader(client_fd_, [this] { on_readable(); });
    send("vmcompose monitor: `help` lists the commands\n");
    send(monitor_.prompt());
}

void MonitorServer::on_readable() {
    char buf[512];
    ssize_t n = ::read(client_fd_, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) {
        drop_client();
        return;
    }
    for (ssize_t i = 0; i < n && client_fd_ >= 0; ++i) {
        if (buf[i] != '\n') {
            if (line_.size() < kMaxLine) line_.push_back(buf[i]);
            continue;
        }
        std::string line = std::move(line_);
        line_.clear();
        send(monitor_.execute(line));
        send(monitor_.prompt());
    }
}

// Blocking: a script reads what it asked for; answers are small.
void MonitorServer::send(std::string_view text) {
    while (client_fd_ >= 0 && !text.empty()) {
        ssize_t n = ::send(client_fd_, text.data(), text.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            drop_client();
            return;
        }
        text.remove_prefix(static_cast<size_t>(n));
    }
}

void MonitorServer::drop_client() {
    if (client_fd_ < 0) return;
    events_.remove(client_fd_);
    ::close(client_fd_);
    client_fd_ = -1;
    line_.clear();
}

} // namespace vmc::debug
