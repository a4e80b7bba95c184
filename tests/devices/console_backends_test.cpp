// Console backends: file, unix socket with a real client (early output
// kept, or the start held until a client connects), null, a log beside any
// backend, the terminal's escape keys, and the stdio override for headless
// runs.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

#include "vmm/console.hpp"
#include "vmm/console_backends.hpp"
#include "vmm/console_escape.hpp"
#include "vmm/event_loop.hpp"
#include "vmm/vm.hpp"
#include "vmm/vm_control.hpp"

using namespace vmc;

namespace {

std::string temp_path(const char* tag) {
    return "/tmp/vmc-console-" + std::to_string(getpid()) + "-" + tag;
}

std::string slurp(const std::string& path) {
    std::ifstream f(path);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

std::span<const uint8_t> bytes(const std::string& s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

int connect_to(const std::string& path) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    return fd;
}

std::string read_some(int fd) {
    char buf[256];
    ssize_t n = ::read(fd, buf, sizeof buf);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

// Runs the event loop until `done` or a second has passed.
template <class Pred> void poll_until(vmm::EventLoop& events, Pred done) {
    for (int i = 0; i < 100 && !done(); ++i)
        events.poll(10);
}

} // namespace

TEST_CASE("null console swallows output") {
    vmm::EventLoop events;
    vmm::VmControl control;
    auto console = vmm::open_console("null", events, control);
    console->write(bytes("ignored"));
    CHECK_FALSE(control.stop_requested());
}

TEST_CASE("file console truncates the file once, then appends what the guest writes") {
    std::string path = temp_path("file");
    { std::ofstream(path) << "old contents of an earlier run"; }
    vmm::EventLoop events;
    vmm::VmControl control;
    {
        auto console = vmm::open_console("file:" + path, events, control);
        console->write(bytes("Linux version"));
        console->write(bytes(" 6.1\r\n"));
    }
    CHECK(slurp(path) == "Linux version 6.1\r\n");
    ::unlink(path.c_str());
}

TEST_CASE("file console names the file it cannot open") {
    vmm::EventLoop events;
    vmm::VmControl control;
    REQUIRE_THROWS_WITH(vmm::open_console("file:/nonexistent-dir/console.log", events, control),
                        Catch::Contains("/nonexistent-dir/console.log"));
}

TEST_CASE("unknown console backends are refused with the accepted forms") {
    vmm::EventLoop events;
    vmm::VmControl control;
    REQUIRE_THROWS_WITH(vmm::open_console("tcp:1234", events, control),
                        Catch::Contains("tcp:1234") && Catch::Contains("unix:PATH"));
}

TEST_CASE("unix console talks both ways with one client at a time") {
    std::string path = temp_path("sock");
    vmm::EventLoop events;
    vmm::VmControl control;
    auto console = vmm::open_console("unix:" + path, events, control);
    std::string received;
    console->set_input_handler(
        [&](std::span<const uint8_t> in) { received.append(in.begin(), in.end()); });

    console->write(bytes("before anyone listens")); // kept for the first client
    int first = connect_to(path);
    events.poll(100); // accept
    console->write(bytes("login: "));
    CHECK(read_some(first) == "before anyone listenslogin: ");
    REQUIRE(::write(first, "root\n", 5) == 5);
    poll_until(events, [&] { return received.size() >= 5; });
    CHECK(received == "root\n");

    int second = connect_to(path); // replaces the first client
    events.poll(100);
    console->write(bytes("# "));
    CHECK(read_some(second) == "# ");
    CHECK(read_some(first).empty()); // the first one was hung up on

    ::close(second);
    poll_until(events, [] { return false; }); // notices the hang-up
    console->write(bytes("nobody hears this"));
    ::close(first);
    console.reset();
    struct stat st {};
    CHECK(::stat(path.c_str(), &st) != 0); // socket removed on close
}

TEST_CASE("unix console refuses to replace a file that is not a socket") {
    std::string path = temp_path("notsock");
    { std::ofstream(path) << "precious"; }
    vmm::EventLoop events;
    vmm::VmControl control;
    REQUIRE_THROWS_WITH(vmm::open_console("unix:" + path, events, control),
                        Catch::Contains("not a socket"));
    CHECK(slurp(path) == "precious");
    ::unlink(path.c_str());
}

TEST_CASE("Ctrl-A Ctrl-A sends one Ctrl-A, Ctrl-A with an unknown key is swallowed") {
    vmm::EscapeParser parser;
    std::vector<uint8_t> out;
    const uint8_t typed[] = {'l', 's', 0x01, 0x01, 0x03, 0x01, 'z', '\r'};
    auto r = parser.parse(typed, out);
    CHECK(r.command == vmm::EscapeParser::Command::None);
    CHECK(r.consumed == sizeof typed);
    CHECK(out == std::vector<uint8_t>{'l', 's', 0x01, 0x03, '\r'});
}

TEST_CASE("each Ctrl-A command stops the parse right after its key, even split across reads") {
    using Command = vmm::EscapeParser::Command;
    vmm::EscapeParser parser;
    std::vector<uint8_t> out;
    const uint8_t first[] = {'a', 0x01};
    auto r = parser.parse(first, out);
    CHECK(r.command == Command::None);
    const uint8_t second[] = {'b', 'x', 'y'}; // break, then keys for the guest
    r = parser.parse(second, out);
    CHECK(r.command == Command::Break);
    CHECK(r.consumed == 1);
    CHECK(out == std::vector<uint8_t>{'a'});

    const struct {
        uint8_t key;
        Command command;
    } keys[] = {{'h', Command::Help},  {'x', Command::Quit},    {'X', Command::Quit},
                {'b', Command::Break}, {'c', Command::Monitor}, {'C', Command::Monitor}};
    for (const auto& k : keys) {
        out.clear();
        const uint8_t pair[] = {'k', 0x01, k.key, 'z'};
        r = parser.parse(pair, out);
        CHECK(r.command == k.command);
        CHECK(r.consumed == 3);
        CHECK(out == std::vector<uint8_t>{'k'});
    }
    CHECK(vmm::EscapeParser::help().find("C-a b") != std::string_view::npos);
    CHECK(vmm::EscapeParser::help().find("C-a c") != std::string_view::npos);
}

TEST_CASE("a console with a log writes the guest's output to both and passes input through") {
    std::string out_path = temp_path("logged-out"), log_path = temp_path("logged-log");
    vmm::EventLoop events;
    vmm::VmControl control;
    {
        auto console = vmm::open_console(vmm::ConsoleSpec{"file:" + out_path, log_path, false},
                                         {events, control});
        console->write(bytes("boot\n"));
        console->write(bytes("login: "));
    }
    CHECK(slurp(out_path) == "boot\nlogin: ");
    CHECK(slurp(log_path) == "boot\nlogin: ");
    ::unlink(out_path.c_str());
    ::unlink(log_path.c_str());

    REQUIRE_THROWS_WITH(vmm::open_console(vmm::ConsoleSpec{"null", "/nonexistent-dir/x.log", false},
                                          {events, control}),
                        Catch::Contains("console log") &&
                            Catch::Contains("/nonexistent-dir/x.log"));
    REQUIRE_THROWS_WITH(vmm::open_console(vmm::ConsoleSpec{"null", {}, true}, {events, control}),
                        Catch::Contains("unix:PATH consoles only"));
}

TEST_CASE("unix console without wait keeps early output for the first client, the newest 64 KiB") {
    std::string path = temp_path("pending");
    vmm::EventLoop events;
    vmm::VmControl control;
    auto console = vmm::open_console("unix:" + path, events, control);
    console->write(bytes("before the client\n"));
    std::string big(70 * 1024, 'x');
    big += "end\n";
    console->write(bytes(big));
    int fd = connect_to(path);
    std::string got; // read by a client of its own, as a real one is
    std::thread client([&] {
        timeval limit{5, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        char buf[4096];
        ssize_t n;
        while (got.size() < 64 * 1024 && (n = ::read(fd, buf, sizeof buf)) > 0)
            got.append(buf, static_cast<size_t>(n));
    });
    poll_until(events, [&] { return false; }); // accept and hand over
    client.join();
    CHECK(got.size() == 64 * 1024);
    CHECK(got.ends_with("xxend\n"));
    CHECK(got.find("before") == std::string::npos); // the oldest bytes went first
    ::close(fd);
}

TEST_CASE("unix console with wait opens only once a client has connected") {
    std::string path = temp_path("wait");
    vmm::EventLoop events;
    vmm::VmControl control;
    std::string received; // Catch2 asserts on the test's thread only
    std::thread client([&] {
        int fd = -1;
        for (int i = 0; i < 500 && fd < 0; ++i) { // until the console listens
            fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            sockaddr_un addr{};
            addr.sun_family = AF_UNIX;
            std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
            if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
                ::close(fd);
                fd = -1;
                ::usleep(10'000);
            }
        }
        char buf[64] = {};
        ssize_t n = fd >= 0 ? ::read(fd, buf, sizeof buf - 1) : 0;
        received.assign(buf, n > 0 ? static_cast<size_t>(n) : 0);
        if (fd >= 0) ::close(fd);
    });
    auto console = vmm::open_console(vmm::ConsoleSpec{"unix:" + path, {}, true}, {events, control});
    console->write(bytes("first words")); // the client is there: nothing kept, nothing lost
    client.join();
    CHECK(received == "first words");
}

TEST_CASE("console_override replaces stdio consoles and leaves the others alone") {
    std::string path = temp_path("override");
    model::Machine m;
    m.memory = {0, 1 << 20};
    vmm::VmOptions options;
    options.console_override = "file:" + path;
    vmm::Vm vm(m, options);
    {
        auto console = vm.open_console("stdio");
        console->write(bytes("to the file, not stdout"));
        auto other = vm.open_console("null");
        other->write(bytes("dropped"));
    }
    CHECK(slurp(path) == "to the file, not stdout");
    ::unlink(path.c_str());
}
