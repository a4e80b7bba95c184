// `unix:PATH`: vmcompose listens on a Unix stream socket at PATH (it is the
// server; `socat - UNIX-CONNECT:PATH` is a client). One client at a time
// owns the console (input and output); a new client replaces the old one.
// With `wait`, the VM does not start until the first client connects (the
// constructor blocks, before any vCPU runs). Without it, output while no
// client is connected is kept, the last kPendingLimit bytes of it, and
// handed to the next client as it connects. A client that stops reading loses output
// rather than stalling the guest.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "vmm/console_backends.hpp"
#include "vmm/event_loop.hpp"

namespace vmc::vmm {

namespace {

class UnixConsole final : public Console {
public:
    static constexpr size_t kPendingLimit = 64 * 1024;
    static constexpr time_t kHandoverSeconds = 2;

    UnixConsole(const std::string& path, bool wait, EventLoop& events)
        : path_(path), events_(events) {
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        if (path.empty() || path.size() >= sizeof addr.sun_path)
            throw std::runtime_error(
                fmt::format("console unix:{}: path empty or longer than {} bytes", path,
                            sizeof addr.sun_path - 1));
        std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
        // A socket left behind by an earlier run is replaced; anything else at the path is not
        // ours.
        struct stat st {};
        if (::lstat(path.c_str(), &st) == 0) {
            if (!S_ISSOCK(st.st_mode))
                throw std::runtime_error(
                    fmt::format("console unix:{}: exists and is not a socket", path));
            ::unlink(path.c_str());
        }
        listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (listen_fd_ < 0 ||
            ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 ||
            ::listen(listen_fd_, 1) < 0) {
            int err = errno;
            if (listen_fd_ >= 0) ::close(listen_fd_);
            throw std::runtime_error(fmt::format("console unix:{}: {}", path, std::strerror(err)));
        }
        events_.add_reader(listen_fd_, [this] { on_accept(); });
        if (wait) wait_for_client();
    }
    ~UnixConsole() override {
        drop_client();
        events_.remove(listen_fd_);
        ::close(listen_fd_);
        ::unlink(path_.c_str());
    }
    void write(std::span<const uint8_t> bytes) override {
        if (client_fd_ < 0) {
            keep(bytes);
            return;
        }
        while (!bytes.empty()) {
            ssize_t n = ::send(client_fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return; // client not reading: drop
            if (n <= 0) {
                drop_client();
                return;
            }
            bytes = bytes.subspan(static_cast<size_t>(n));
        }
    }

private:
    void wait_for_client() {
        std::fprintf(stderr,
                     "vmcompose: console unix:%s: waiting for a client to connect "
                     "(socat - UNIX-CONNECT:%s)\n",
                     path_.c_str(), path_.c_str());
        std::fflush(stderr);
        pollfd p{listen_fd_, POLLIN, 0};
        while (client_fd_ < 0) {
            if (::poll(&p, 1, -1) < 0 && errno != EINTR)
                throw std::runtime_error(
                    fmt::format("console unix:{}: {}", path_, std::strerror(errno)));
            on_accept();
        }
    }
    // No client: the newest output waits for one, up to kPendingLimit bytes.
    void keep(std::span<const uint8_t> bytes) {
        if (bytes.size() >= kPendingLimit) bytes = bytes.subspan(bytes.size() - kPendingLimit);
        size_t over = pending_.size() + bytes.size();
        if (over > kPendingLimit)
            pending_.erase(pending_.begin(),
                           pending_.begin() + static_cast<std::ptrdiff_t>(over - kPendingLimit));
        pending_.insert(pending_.end(), bytes.begin(), bytes.end());
    }
    void on_accept() {
        int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) return;
        drop_client();
        // What was kept may exceed the socket buffer: hand it over blocking,
        // for at most kHandoverTimeout, then go non-blocking for the guest.
        timeval limit{kHandoverSeconds, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
        std::span<const uint8_t> pending = pending_;
        while (!pending.empty()) {
            ssize_t n = ::send(fd, pending.data(), pending.size(), MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break; // timed out or gone: the rest is dropped
            pending = pending.subspan(static_cast<size_t>(n));
        }
        pending_.clear();
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        client_fd_ = fd;
        events_.add_reader(client_fd_, [this] { on_readable(); });
    }
    void on_readable() {
        uint8_t buf[256];
        ssize_t n = ::read(client_fd_, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
        if (n <= 0) {
            drop_client();
            return;
        }
        deliver({buf, static_cast<size_t>(n)});
    }
    void drop_client() {
        if (client_fd_ < 0) return;
        events_.remove(client_fd_);
        ::close(client_fd_);
        client_fd_ = -1;
    }

    std::string path_;
    EventLoop& events_;
    int listen_fd_ = -1;
    int client_fd_ = -1;
    std::vector<uint8_t> pending_; // output while no client was connected
};

} // namespace

std::unique_ptr<Console> open_unix_console(const std::string& path, bool wait, EventLoop& events) {
    return std::make_unique<UnixConsole>(path, wait, events);
}

} // namespace vmc::vmm
