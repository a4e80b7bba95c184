// Console backends: file, unix socket with a real client, null, the stdio
// escape key, and the stdio override for headless runs.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "vmm/console.hpp"
#include "vmm/console_backends.hpp"
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

    console->write(bytes("before anyone listens")); // dropped, not queued
    int first = connect_to(path);
    events.poll(100); // accept
    console->write(bytes("login: "));
    CHECK(read_some(first) == "login: ");
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

TEST_CASE("Ctrl-A x quits, Ctrl-A Ctrl-A sends one Ctrl-A, other keys pass through") {
    vmm::EscapeFilter filter;
    std::vector<uint8_t> out;
    const uint8_t typed[] = {'l', 's', 0x01, 0x01, 0x03, 0x01, 'z', '\r'};
    CHECK_FALSE(filter.filter(typed, out));
    CHECK(out == std::vector<uint8_t>{'l', 's', 0x01, 0x03, '\r'});

    out.clear();
    const uint8_t escape[] = {'a', 0x01};
    const uint8_t quit[] = {'x', 'b'};
    CHECK_FALSE(filter.filter(escape, out)); // the key pair may arrive in two reads
    CHECK(filter.filter(quit, out));
    CHECK(out == std::vector<uint8_t>{'a'});
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
