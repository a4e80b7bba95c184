// Console backends: stdio, file:PATH, unix:PATH, null.
#include "vmm/console.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "vmm/event_loop.hpp"
#include "vmm/vm_control.hpp"

namespace vmc::vmm {

namespace {

// Writes everything, retrying short writes; a closed peer drops output
// rather than stopping the guest.
void write_all(int fd, std::span<const uint8_t> bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        done += static_cast<size_t>(n);
    }
}

class NullConsole final : public Console {
public:
    void write(std::span<const uint8_t>) override {}
};

class FileConsole final : public Console {
public:
    explicit FileConsole(const std::string& path) {
        fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd_ < 0)
            throw std::runtime_error(fmt::format("console file:{}: {}", path, std::strerror(errno)));
    }
    ~FileConsole() override { ::close(fd_); }
    void write(std::span<const uint8_t> bytes) override { write_all(fd_, bytes); }

private:
    int fd_ = -1;
};

// The terminal: guest output on stdout, keyboard input from stdin. On a
// terminal, raw mode so every key reaches the guest; Ctrl-A x quits,
// Ctrl-A Ctrl-A sends one Ctrl-A. A stdin that is not readable, or at end
// of file, simply gives the guest no input.
class StdioConsole final : public Console {
public:
    StdioConsole(EventLoop& events, VmControl& control) : events_(events), control_(control) {
        if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_) == 0) {
            termios raw = saved_;
            cfmakeraw(&raw);
            raw.c_oflag |= OPOST | ONLCR; // keep newline handling for vmcompose's own stderr lines
            if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0) raw_mode_ = true;
        }
        int flags = fcntl(STDIN_FILENO, F_GETFL);
        if (flags >= 0) {
            try {
                events_.add_reader(STDIN_FILENO, [this] { on_readable(); });
                reading_ = true;
            } catch (const std::exception&) {
                // stdin is a regular file or /dev/null: epoll refuses it; no input then.
            }
        }
    }
    ~StdioConsole() override {
        if (reading_) events_.remove(STDIN_FILENO);
        if (raw_mode_) tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
    }
    void write(std::span<const uint8_t> bytes) override { write_all(STDOUT_FILENO, bytes); }

private:
    void on_readable() {
        uint8_t buf[256];
        ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) return;
            events_.remove(STDIN_FILENO); // end of file: the guest keeps running
            reading_ = false;
            return;
        }
        uint8_t out[256];
        size_t m = 0;
        for (ssize_t i = 0; i < n; ++i) {
            uint8_t c = buf[i];
            if (escape_) {
                escape_ = false;
                if (c == 'x' || c == 'X') {
                    control_.request_stop(ExitReason::UserQuit, "quit from the console (Ctrl-A x)");
                    return;
                }
                if (c == kEscape) out[m++] = c;
                continue;
            }
            if (c == kEscape && raw_mode_) {
                escape_ = true;
                continue;
            }
            out[m++] = c;
        }
        if (m) deliver({out, m});
    }

    static constexpr uint8_t kEscape = 0x01; // Ctrl-A
    EventLoop& events_;
    VmControl& control_;
    termios saved_{};
    bool raw_mode_ = false;
    bool reading_ = false;
    bool escape_ = false;
};

// A listening Unix socket; one client at a time gets the console.
class UnixConsole final : public Console {
public:
    UnixConsole(const std::string& path, EventLoop& events) : path_(path), events_(events) {
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        if (path.size() >= sizeof addr.sun_path)
            throw std::runtime_error(fmt::format("console unix:{}: path too long", path));
        std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
        listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        ::unlink(path.c_str());
        if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 ||
            ::listen(listen_fd_, 1) < 0) {
            int err = errno;
            if (listen_fd_ >= 0) ::close(listen_fd_);
            throw std::runtime_error(fmt::format("console unix:{}: {}", path, std::strerror(err)));
        }
        events_.add_reader(listen_fd_, [this] { on_accept(); });
    }
    ~UnixConsole() override {
        drop_client();
        events_.remove(listen_fd_);
        ::close(listen_fd_);
        ::unlink(path_.c_str());
    }
    void write(std::span<const uint8_t> bytes) override {
        if (client_fd_ >= 0) write_all(client_fd_, bytes);
    }

private:
    void on_accept() {
        int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) return;
        drop_client();
        client_fd_ = fd;
        events_.add_reader(client_fd_, [this] { on_readable(); });
    }
    void on_readable() {
        uint8_t buf[256];
        ssize_t n = ::read(client_fd_, buf, sizeof buf);
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
};

} // namespace

std::unique_ptr<Console> open_console(std::string_view spec, EventLoop& events, VmControl& control) {
    if (spec == "null") return std::make_unique<NullConsole>();
    if (spec == "stdio") return std::make_unique<StdioConsole>(events, control);
    if (spec.starts_with("file:")) return std::make_unique<FileConsole>(std::string(spec.substr(5)));
    if (spec.starts_with("unix:")) return std::make_unique<UnixConsole>(std::string(spec.substr(5)), events);
    throw std::runtime_error(
        fmt::format("console '{}': unknown backend (expected stdio, file:PATH, unix:PATH or null)", spec));
}

} // namespace vmc::vmm
