// `up --monitor unix:PATH`: the monitor on a Unix stream socket for scripts.
// vmcompose listens at PATH; a client (`socat - UNIX-CONNECT:PATH`) gets a
// greeting line and the prompt "(vmcompose) ", sends one command per line
// and receives its answer followed by the prompt again. One client at a
// time; a new one replaces the old.
#pragma once

#include <string>
#include <vector>

#include "vmm/event_loop.hpp"
#include "vmm/monitor_port.hpp"

namespace vmc::debug {

class MonitorServer {
public:
    // Throws std::runtime_error naming the path and the reason.
    MonitorServer(const std::string& path, vmm::MonitorPort& monitor, vmm::EventLoop& events);
    ~MonitorServer();
    MonitorServer(const MonitorServer&) = delete;
    MonitorServer& operator=(const MonitorServer&) = delete;

    static constexpr size_t kMaxLine = 4096; // a longer line is dropped

private:
    void on_accept();
    void on_readable();
    void send(std::string_view text);
    void drop_client();

    std::string path_;
    vmm::MonitorPort& monitor_;
    vmm::EventLoop& events_;
    int listen_fd_ = -1;
    int client_fd_ = -1;
    std::string line_;
};

// "unix:PATH" -> PATH; throws std::invalid_argument saying what is expected.
std::string parse_monitor_address(const std::string& spec);

} // namespace vmc::debug
