// `stdio`: guest output on stdout, keyboard input from stdin.
//
// On a terminal the console switches it to raw mode so that every key
// (Ctrl-C included) reaches the guest, and keeps the escape key for the
// user. The terminal is restored by the destructor, which runs on every
// exit path of the run loop, including exceptions. SIGINT, SIGTERM and
// SIGHUP are taken through a signalfd in the event loop instead of a
// handler: they become a clean VM stop, the stack unwinds and the
// destructor restores the terminal, so no global state is needed to find
// the saved settings. (The mask is set on the VM thread when the console
// opens; threads created afterwards inherit it.)
//
// A stdin that is not a terminal is read as is, without the escape key; one
// that cannot be polled (a regular file, /dev/null) or reaches end of file
// simply gives the guest no more input: the guest keeps running.
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fmt/format.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <unistd.h>

#include "vmm/console_backends.hpp"
#include "vmm/event_loop.hpp"
#include "vmm/vm_control.hpp"

namespace vmc::vmm {

bool EscapeFilter::filter(std::span<const uint8_t> in, std::vector<uint8_t>& out) {
    for (uint8_t c : in) {
        if (escape_) {
            escape_ = false;
            if (c == 'x' || c == 'X') return true;
            if (c == kEscape) out.push_back(c);
            continue;
        }
        if (c == kEscape) {
            escape_ = true;
            continue;
        }
        out.push_back(c);
    }
    return false;
}

namespace {

class StdioConsole final : public Console {
public:
    StdioConsole(EventLoop& events, VmControl& control) : events_(events), control_(control) {
        if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_) == 0) enter_raw_mode();
        try {
            events_.add_reader(STDIN_FILENO, [this] { on_input(); });
            reading_ = true;
        } catch (const std::exception&) {
            // epoll refuses regular files and /dev/null: no input then.
        }
    }
    ~StdioConsole() override {
        if (reading_) events_.remove(STDIN_FILENO);
        leave_raw_mode();
    }
    void write(std::span<const uint8_t> bytes) override { write_all(STDOUT_FILENO, bytes); }

private:
    void enter_raw_mode() {
        sigset_t stops;
        sigemptyset(&stops);
        sigaddset(&stops, SIGINT);
        sigaddset(&stops, SIGTERM);
        sigaddset(&stops, SIGHUP);
        if (pthread_sigmask(SIG_BLOCK, &stops, &saved_mask_) != 0) return;
        signal_fd_ = signalfd(-1, &stops, SFD_CLOEXEC | SFD_NONBLOCK);
        if (signal_fd_ < 0) {
            pthread_sigmask(SIG_SETMASK, &saved_mask_, nullptr);
            return; // without a way to restore on signals, stay out of raw mode
        }
        events_.add_reader(signal_fd_, [this] { on_signal(); });
        termios raw = saved_;
        cfmakeraw(&raw);
        raw.c_oflag |= OPOST | ONLCR; // vmcompose's own stderr lines still end in CR LF
        raw_mode_ = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
    }
    void leave_raw_mode() {
        if (raw_mode_) tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
        raw_mode_ = false;
        if (signal_fd_ >= 0) {
            events_.remove(signal_fd_);
            ::close(signal_fd_);
            signal_fd_ = -1;
            pthread_sigmask(SIG_SETMASK, &saved_mask_, nullptr);
        }
    }
    void on_signal() {
        signalfd_siginfo info{};
        while (::read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info))
            control_.request_stop(
                ExitReason::UserQuit,
                fmt::format("stopped by signal {}", strsignal(static_cast<int>(info.ssi_signo))));
    }
    void on_input() {
        uint8_t buf[256];
        ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
        if (n <= 0) { // end of file or error: no more input, the guest keeps running
            events_.remove(STDIN_FILENO);
            reading_ = false;
            return;
        }
        std::span<const uint8_t> in{buf, static_cast<size_t>(n)};
        if (!raw_mode_) {
            deliver(in);
            return;
        }
        std::vector<uint8_t> out;
        bool quit = escape_.filter(in, out);
        if (!out.empty()) deliver(out);
        if (quit) control_.request_stop(ExitReason::UserQuit, "quit from the console (Ctrl-A x)");
    }

    EventLoop& events_;
    VmControl& control_;
    termios saved_{};
    sigset_t saved_mask_{};
    int signal_fd_ = -1;
    bool raw_mode_ = false;
    bool reading_ = false;
    EscapeFilter escape_;
};

} // namespace

std::unique_ptr<Console> open_stdio_console(EventLoop& events, VmControl& control) {
    return std::make_unique<StdioConsole>(events, control);
}

} // namespace vmc::vmm
