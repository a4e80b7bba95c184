// The stdio console on a real terminal (a pseudo-terminal standing in for
// stdin, and for stdout and stderr where the test reads the screen): raw
// mode, the escape keys and the monitor's line editing, SIGTERM as a clean
// stop, a fresh line on quit, and the terminal and signal mask restored
// afterwards.
#include <catch2/catch.hpp>

#include <csignal>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string>
#include <termios.h>
#include <unistd.h>
#include <vector>

#include "vmm/console.hpp"
#include "vmm/event_loop.hpp"
#include "vmm/monitor_port.hpp"
#include "vmm/vm_control.hpp"

using namespace vmc;

namespace {

// Puts the slave side of a new pseudo-terminal on fd 0 for the test's
// lifetime and puts the real stdin back afterwards.
struct PtyAsStdin {
    int master = -1, slave = -1, saved_stdin = -1;
    PtyAsStdin() {
        master = posix_openpt(O_RDWR | O_NOCTTY);
        REQUIRE(master >= 0);
        REQUIRE(grantpt(master) == 0);
        REQUIRE(unlockpt(master) == 0);
        slave = ::open(ptsname(master), O_RDWR | O_NOCTTY);
        REQUIRE(slave >= 0);
        saved_stdin = ::dup(STDIN_FILENO);
        REQUIRE(::dup2(slave, STDIN_FILENO) == STDIN_FILENO);
    }
    ~PtyAsStdin() {
        ::dup2(saved_stdin, STDIN_FILENO);
        ::close(saved_stdin);
        ::close(slave);
        ::close(master);
    }
    termios mode() const {
        termios t{};
        tcgetattr(slave, &t);
        return t;
    }
};

bool term_blocked() {
    sigset_t now;
    pthread_sigmask(SIG_BLOCK, nullptr, &now);
    return sigismember(&now, SIGTERM);
}

template <class Pred> void poll_until(vmm::EventLoop& events, Pred done) {
    for (int i = 0; i < 100 && !done(); ++i)
        events.poll(10);
}

} // namespace

TEST_CASE("stdio console on a terminal: raw keys to the guest, Ctrl-A x quits, terminal restored") {
    PtyAsStdin pty;
    REQUIRE((pty.mode().c_lflag & ICANON) != 0);
    vmm::EventLoop events;
    vmm::VmControl control;
    std::string typed;
    {
        auto console = vmm::open_console("stdio", events, control);
        console->set_input_handler(
            [&](std::span<const uint8_t> in) { typed.append(in.begin(), in.end()); });
        CHECK((pty.mode().c_lflag & (ICANON | ECHO | ISIG)) == 0); // raw
        CHECK(term_blocked());                                     // taken by the console
        REQUIRE(::write(pty.master, "ls\x03\x01\x01", 5) == 5);
        poll_until(events, [&] { return typed.size() >= 4; });
        CHECK(typed == "ls\x03\x01"); // Ctrl-C reaches the guest; Ctrl-A Ctrl-A is one Ctrl-A
        REQUIRE(::write(pty.master, "\x01x", 2) == 2);
        poll_until(events, [&] { return control.stop_requested(); });
        CHECK(control.reason() == vmm::ExitReason::UserQuit);
    }
    CHECK((pty.mode().c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG));
    CHECK_FALSE(term_blocked());
}

TEST_CASE("SIGTERM stops the VM cleanly while the stdio console holds the terminal") {
    PtyAsStdin pty;
    vmm::EventLoop events;
    vmm::VmControl control;
    {
        auto console = vmm::open_console("stdio", events, control);
        REQUIRE(::pthread_kill(pthread_self(), SIGTERM) == 0); // blocked: waits in the signalfd
        poll_until(events, [&] { return control.stop_requested(); });
        CHECK(control.reason() == vmm::ExitReason::UserQuit);
        CHECK_THAT(control.message(), Catch::Contains("signal"));
    }
    CHECK((pty.mode().c_lflag & ICANON) != 0);
    CHECK_FALSE(term_blocked());
}

namespace {

// Also puts the pseudo-terminal on stdout and stderr, as an interactive
// `vmcompose up` has it, and reads what appears there.
struct PtyAsTerminal : PtyAsStdin {
    int saved_stdout = -1, saved_stderr = -1;
    PtyAsTerminal() {
        saved_stdout = ::dup(STDOUT_FILENO);
        saved_stderr = ::dup(STDERR_FILENO);
        REQUIRE(::dup2(slave, STDOUT_FILENO) == STDOUT_FILENO);
        REQUIRE(::dup2(slave, STDERR_FILENO) == STDERR_FILENO);
        ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
    }
    ~PtyAsTerminal() {
        ::dup2(saved_stdout, STDOUT_FILENO);
        ::dup2(saved_stderr, STDERR_FILENO);
        ::close(saved_stdout);
        ::close(saved_stderr);
    }
    std::string screen; // everything written to the terminal so far
    std::string read_screen() {
        char buf[4096];
        ssize_t n;
        while ((n = ::read(master, buf, sizeof buf)) > 0)
            screen.append(buf, static_cast<size_t>(n));
        return screen;
    }
};

struct EchoMonitor : vmm::MonitorPort {
    std::vector<std::string> lines;
    std::string execute(std::string_view line) override {
        lines.emplace_back(line);
        return "ran " + std::string(line) + "\n";
    }
};

} // namespace

TEST_CASE("terminal escapes: Ctrl-A h lists them, b sends a break, c runs the monitor") {
    PtyAsTerminal pty;
    vmm::EventLoop events;
    vmm::VmControl control;
    EchoMonitor echo;
    vmm::MonitorPort* monitor = &echo;
    std::string typed;
    int breaks = 0;
    auto console =
        vmm::open_console(vmm::ConsoleSpec{"stdio", {}, false}, {events, control, &monitor});
    console->set_input_handler(
        [&](std::span<const uint8_t> in) { typed.append(in.begin(), in.end()); });
    console->set_break_handler([&] { ++breaks; });

    REQUIRE(::write(pty.master, "\x01h", 2) == 2);
    poll_until(events, [&] { return pty.read_screen().find("C-a c") != std::string::npos; });
    CHECK(pty.screen.find("C-a b    send a break") != std::string::npos);

    REQUIRE(::write(pty.master,
                    "\x01"
                    "bh",
                    3) == 3); // SysRq: a break, then the command key
    poll_until(events, [&] { return typed == "h"; });
    CHECK(breaks == 1);
    CHECK(typed == "h");

    REQUIRE(::write(pty.master,
                    "\x01"
                    "cinfo x\x7fy\r",
                    11) == 11); // with a backspace
    poll_until(events, [&] { return !echo.lines.empty(); });
    REQUIRE(echo.lines == std::vector<std::string>{"info y"});
    poll_until(events, [&] { return pty.read_screen().find("ran info y") != std::string::npos; });
    CHECK(pty.screen.find("(vmcompose) info x\b \by") != std::string::npos); // echoed, edited
    CHECK(typed == "h"); // monitor keys never reach the guest

    REQUIRE(::write(pty.master,
                    "\x01"
                    "cls",
                    4) == 4); // back to the guest
    poll_until(events, [&] { return typed == "hls"; });
    CHECK(typed == "hls");
}

TEST_CASE("Ctrl-A x leaves the terminal on a fresh line after an unfinished guest line") {
    PtyAsTerminal pty;
    vmm::EventLoop events;
    vmm::VmControl control;
    {
        auto console = vmm::open_console("stdio", events, control);
        const std::string prompt = "login: ";
        console->write({reinterpret_cast<const uint8_t*>(prompt.data()), prompt.size()});
        REQUIRE(::write(pty.master, "\x01x", 2) == 2);
        poll_until(events, [&] { return control.stop_requested(); });
    }
    pty.read_screen();
    CHECK(pty.screen == "login: \r\n");
}
