// Host I/O readiness for devices (console input, tap, sockets). Runs on the
// VM thread: the run loop polls it with a zero timeout between guest time
// slices and blocks in it while every vCPU waits, so nothing busy-polls.
#pragma once

#include <functional>
#include <map>

namespace vmc::vmm {

class EventLoop {
public:
    EventLoop();
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    // `on_readable` runs when fd has data (or hang-up).
    void add_reader(int fd, std::function<void()> on_readable);
    void remove(int fd);
    // Waits up to timeout_ms (0: do not block, -1: forever) and runs callbacks. Returns the number
    // run.
    int poll(int timeout_ms);
    // Makes a blocked poll() return (from another thread or a signal handler).
    void wake();

private:
    int epoll_fd_ = -1;
    int wake_fd_ = -1;
    std::map<int, std::function<void()>> readers_;
};

} // namespace vmc::vmm
