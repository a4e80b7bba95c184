// The stdio console on a real terminal (a pseudo-terminal standing in for
// stdin): raw mode, the escape key, SIGTERM as a clean stop, and the
// terminal and signal mask restored afterwards.
#include <catch2/catch.hpp>

#include <csignal>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "vmm/console.hpp"
#include "vmm/event_loop.hpp"
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
