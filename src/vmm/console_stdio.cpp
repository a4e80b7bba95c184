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
// On a terminal, Ctrl-A is the escape key (console_escape.hpp): help,
// quit, a line break for the guest, and the monitor, whose command line is
// edited here and answered on stderr. Quitting leaves the terminal on a
// fresh line even when the guest's last line was unfinished.
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
#include "vmm/console_escape.hpp"
#include "vmm/event_loop.hpp"
#include "vmm/monitor_port.hpp"
#include "vmm/vm_control.hpp"

namespace vmc::vmm {

namespace {

class StdioConsole final : public Console {
public:
    explicit StdioConsole(const ConsoleContext& context)
        : events_(context.events), control_(context.control), monitor_(context.monitor) {
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
        // The shell's prompt should not land after the guest's unfinished line.
        // (Raw mode keeps ONLCR: the terminal gets CR LF.)
        if (raw_mode_ && last_output_ != '\n' && isatty(STDOUT_FILENO))
            write_all(STDOUT_FILENO, std::span<const uint8_t>(kNewLine, 1));
        leave_raw_mode();
    }
    void write(std::span<const uint8_t> bytes) override {
        if (bytes.empty()) return;
        write_all(STDOUT_FILENO, bytes);
        last_output_ = bytes.back();
    }

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
        while (!in.empty()) {
            std::vector<uint8_t> keys;
            EscapeParser::Result r = escape_.parse(in, keys);
            if (in_monitor_)
                monitor_keys(keys);
            else if (!keys.empty())
                deliver(keys);
            in = in.subspan(r.consumed);
            if (!escape(r.command)) return;
        }
    }
    // false: stop reading (quit).
    bool escape(EscapeParser::Command command) {
        switch (command) {
        case EscapeParser::Command::None:
            break;
        case EscapeParser::Command::Help:
            say(EscapeParser::help());
            break;
        case EscapeParser::Command::Quit:
            control_.request_stop(ExitReason::UserQuit, "quit from the console (Ctrl-A x)");
            events_.wake();
            return false;
        case EscapeParser::Command::Break:
            deliver_break();
            break;
        case EscapeParser::Command::Monitor:
            toggle_monitor();
            break;
        }
        return true;
    }
    void toggle_monitor() {
        MonitorPort* monitor = monitor_ ? *monitor_ : nullptr;
        if (!monitor) {
            say("\nvmcompose: no monitor in this run\n");
            return;
        }
        in_monitor_ = !in_monitor_;
        line_.clear();
        if (in_monitor_) {
            say("\nvmcompose monitor: `help` lists the commands, C-a c returns to the console\n");
            say(monitor->prompt());
        } else {
            say("\n");
        }
    }
    // Line editing for the monitor: the terminal is raw, so echo is ours.
    void monitor_keys(std::span<const uint8_t> keys) {
        for (uint8_t c : keys) {
            if (!in_monitor_) return; // `quit` or `cont` may leave it
            MonitorPort* monitor = *monitor_;
            if (c == '\r' || c == '\n') {
                say("\n");
                std::string line = std::move(line_);
                line_.clear();
                say(monitor->execute(line));
                if (control_.stop_requested()) {
                    in_monitor_ = false;
                    return;
                }
                say(monitor->prompt());
            } else if ((c == 0x7f || c == 0x08) && !line_.empty()) {
                line_.pop_back();
                say("\b \b");
            } else if (c == 0x03) { // Ctrl-C: drop the line
                line_.clear();
                say("^C\n");
                say(monitor->prompt());
            } else if (c >= 0x20 && c < 0x7f && line_.size() < 256) {
                line_.push_back(static_cast<char>(c));
                say(std::string_view(&line_.back(), 1));
            }
        }
    }
    static void say(std::string_view text) {
        write_all(STDERR_FILENO, {reinterpret_cast<const uint8_t*>(text.data()), text.size()});
    }

    static constexpr uint8_t kNewLine[1] = {'\n'};

    EventLoop& events_;
    VmControl& control_;
    MonitorPort* const* monitor_;
    termios saved_{};
    sigset_t saved_mask_{};
    int signal_fd_ = -1;
    bool raw_mode_ = false;
    bool reading_ = false;
    EscapeParser escape_;
    bool in_monitor_ = false;
    std::string line_;           // the monitor command being typed
    uint8_t last_output_ = '\n'; // the last byte the guest wrote
};

} // namespace

std::unique_ptr<Console> open_stdio_console(const ConsoleContext& context) {
    return std::make_unique<StdioConsole>(context);
}

} // namespace vmc::vmm
