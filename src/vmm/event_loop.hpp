// Host I/O readiness for devices (console input, tap, sockets). Runs on the
// VM thread: the run loop polls it with a zero timeout between guest time
// slices and blocks in it while every vCPU waits, so nothing busy-polls.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

namespace vmc::vmm {

// A participant in every poll() whose descriptors change from one wait to the
// next (a user-mode network stack): prepare() runs before the wait, updates
// its watches and returns the longest the loop may block for it (ms, -1: no
// limit); finish() runs after the wait and the descriptors' callbacks, whether
// or not any of them was ready.
class EventSource {
public:
    virtual ~EventSource() = default;
    virtual int prepare() = 0;
    virtual void finish() = 0;
};

class EventLoop {
public:
    EventLoop();
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    // `on_readable` runs when fd has data (or hang-up).
    void add_reader(int fd, std::function<void()> on_readable);
    // Watches fd for `events` (EPOLLIN, EPOLLOUT, EPOLLPRI); `on_ready` receives
    // what happened, EPOLLERR and EPOLLHUP included. Watching a watched fd again
    // replaces its events and callback.
    void watch(int fd, uint32_t events, std::function<void(uint32_t)> on_ready);
    void remove(int fd);
    void add_source(EventSource& source);
    void remove_source(EventSource& source);
    // Waits up to timeout_ms (0: do not block, -1: forever) and runs callbacks. Returns the number
    // run.
    int poll(int timeout_ms);
    // Makes a blocked poll() return (from another thread or a signal handler).
    void wake();

private:
    int epoll_fd_ = -1;
    int wake_fd_ = -1;
    std::map<int, std::function<void(uint32_t)>> watchers_;
    std::vector<EventSource*> sources_;
};

} // namespace vmc::vmm
