// `--gdb tcp::PORT` / `--gdb tcp:HOST:PORT`: a listening socket on the VM's
// event loop that hands the first gdb connection to a GdbStub (later ones
// are refused while one is connected).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "debug/gdb_stub.hpp"

namespace vmc::debug {

struct ListenAddress {
    std::string host;  // empty: 127.0.0.1 (gdb runs on this machine)
    uint16_t port = 0; // 0: any free port
};

// Parses "tcp::1234", "tcp:HOST:1234" (also ":1234" and "1234"). Throws
// std::invalid_argument saying what is expected.
ListenAddress parse_listen_address(const std::string& spec);

class GdbServer {
public:
    GdbServer(Target& target, vmm::EventLoop& events, std::function<void()> kill);
    ~GdbServer();
    GdbServer(const GdbServer&) = delete;
    GdbServer& operator=(const GdbServer&) = delete;

    // Binds and listens. Throws std::runtime_error naming the address and the reason.
    void listen(const ListenAddress& address);
    // "HOST:PORT" actually bound (the port chosen when 0 was asked for).
    std::string bound_address() const;
    // Blocks until gdb connects (--gdb-wait): the machine is then halted.
    void wait_for_client();
    // The machine ended with this exit status.
    void exited(int status) { stub_.exited(status); }

private:
    void accept_client();

    vmm::EventLoop& events_;
    GdbStub stub_;
    int listen_fd_ = -1;
};

} // namespace vmc::debug
