#include "vmm/event_loop.hpp"

#include <algorithm>
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
    watch(fd, EPOLLIN, [fn = std::move(on_readable)](uint32_t) { fn(); });
}

void EventLoop::watch(int fd, uint32_t events, std::function<void(uint32_t)> on_ready) {
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    int op = watchers_.contains(fd) ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (epoll_ctl(epoll_fd_, op, fd, &ev) < 0) {
        // A closed descriptor leaves epoll by itself; its number may come back as a new one.
        int retry = errno == ENOENT ? EPOLL_CTL_ADD : errno == EEXIST ? EPOLL_CTL_MOD : -1;
        if (retry < 0 || epoll_ctl(epoll_fd_, retry, fd, &ev) < 0)
            throw std::system_error(errno, std::generic_category(), "epoll_ctl");
    }
    watchers_[fd] = std::move(on_ready);
}

void EventLoop::remove(int fd) {
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    watchers_.erase(fd);
}

void EventLoop::add_source(EventSource& source) {
    sources_.push_back(&source);
}

void EventLoop::remove_source(EventSource& source) {
    std::erase(sources_, &source);
}

int EventLoop::poll(int timeout_ms) {
    auto sources = sources_; // a callback may add or remove sources
    for (EventSource* s : sources) {
        int limit = s->prepare();
        if (limit >= 0 && (timeout_ms < 0 || limit < timeout_ms)) timeout_ms = limit;
    }
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
        auto it = watchers_.find(fd);
        if (it == watchers_.end()) continue;
        auto fn = it->second; // the callback may remove itself
        fn(events[i].events);
        ++ran;
    }
    for (EventSource* s : sources)
        if (std::find(sources_.begin(), sources_.end(), s) != sources_.end()) s->finish();
    return ran;
}

void EventLoop::wake() {
    uint64_t one = 1;
    [[maybe_unused]] auto r = write(wake_fd_, &one, sizeof one);
}

} // namespace vmc::vmm
