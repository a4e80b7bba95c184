#include "vmm/event_loop.hpp"

#include <cerrno>
#include <stdexcept>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <system_error>
#include <unistd.h>

namespace vmc::vmm {

EventLoop::EventLoop() {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll_fd_ < 0 || wake_fd_ < 0)
        throw std::system_error(errno, std::generic_category(), "epoll");
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = wake_fd_;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
}

EventLoop::~EventLoop() {
    close(wake_fd_);
    close(epoll_fd_);
}

void EventLoop::add_reader(int fd, std::function<void()> on_readable) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) < 0)
        throw std::system_error(errno, std::generic_category(), "epoll_ctl");
    readers_[fd] = std::move(on_readable);
}

void EventLoop::remove(int fd) {
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    readers_.erase(fd);
}

int EventLoop::poll(int timeout_ms) {
    epoll_event events[16];
    int n = epoll_wait(epoll_fd_, events, 16, timeout_ms);
    int ran = 0;
    for (int i = 0; i < n; ++i) {
        int fd = events[i].data.fd;
        if (fd == wake_fd_) {
            uint64_t v;
            while (read(wake_fd_, &v, sizeof v) > 0) {
            }
            continue;
        }
        auto it = readers_.find(fd);
        if (it == readers_.end()) continue;
        auto fn = it->second; // the callback may remove itself
        fn();
        ++ran;
    }
    return ran;
}

void EventLoop::wake() {
    uint64_t one = 1;
    [[maybe_unused]] auto r = write(wake_fd_, &one, sizeof one);
}

} // namespace vmc::vmm
