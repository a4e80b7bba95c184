// The user-mode network: libslirp plays the other end of the guest's link
// (gateway, DHCP, DNS forwarder, TFTP) and carries the guest's TCP and UDP
// over ordinary host sockets, so no privilege is needed. It runs on the VM
// thread inside the VM's event loop: before each wait it hands its sockets and
// timeout over (an EventSource), after the wait it processes what is ready;
// its timers are guest-time timers of the VM.
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <deque>
#include <map>
#include <slirp/libslirp.h>
#include <stdexcept>
#include <sys/epoll.h>
#include <vector>

#include <fmt/format.h>

#include "devices/virtio_net/net_device.hpp"
#include "vmm/vm.hpp"

namespace vmc::devices::virtio_net {

namespace {
// Frames waiting for the guest's receive buffers. Beyond these the newest is
// dropped: TCP resends, and a guest that never reads cannot grow the VMM.
constexpr size_t kQueueBytesMax = 1 << 20;
constexpr unsigned kGuestErrorsShown = 10;

in_addr to_in_addr(Ipv4 a) {
    return in_addr{htonl(a)};
}

uint32_t to_epoll(int slirp_events) {
    uint32_t out = 0;
    if (slirp_events & SLIRP_POLL_IN) out |= EPOLLIN;
    if (slirp_events & SLIRP_POLL_OUT) out |= EPOLLOUT;
    if (slirp_events & SLIRP_POLL_PRI) out |= EPOLLPRI;
    return out;
}

int to_slirp(uint32_t epoll_events) {
    int out = 0;
    if (epoll_events & EPOLLIN) out |= SLIRP_POLL_IN;
    if (epoll_events & EPOLLOUT) out |= SLIRP_POLL_OUT;
    if (epoll_events & EPOLLPRI) out |= SLIRP_POLL_PRI;
    if (epoll_events & EPOLLERR) out |= SLIRP_POLL_ERR;
    if (epoll_events & EPOLLHUP) out |= SLIRP_POLL_HUP;
    return out;
}

class UserBackend final : public Backend, public vmm::EventSource {
public:
    UserBackend(const std::string& device_name, const UserNetwork& net, vmm::Vm& vm)
        : name_(device_name), vm_(vm) {
        SlirpConfig cfg{};
        cfg.version = 4;
        cfg.restricted = net.restricted;
        cfg.in_enabled = true;
        cfg.vnetwork = to_in_addr(net.network);
        cfg.vnetmask = to_in_addr(net.netmask());
        cfg.vhost = to_in_addr(net.host());
        cfg.vdhcp_start = to_in_addr(net.guest());
        cfg.vnameserver = to_in_addr(net.dns());
        cfg.vhostname = "vmcompose";
        // slirp_new copies these strings.
        cfg.tftp_path = net.tftp.empty() ? nullptr : net.tftp.c_str();
        cfg.bootfile = net.bootfile.empty() ? nullptr : net.bootfile.c_str();
        slirp_ = slirp_new(&cfg, &kCallbacks, this);
        if (!slirp_)
            throw std::runtime_error(
                fmt::format("virtio-net {}: cannot start the user-mode network", name_));
        for (const Forward& f : net.forwards) {
            if (slirp_add_hostfwd(slirp_, f.udp, to_in_addr(f.host_addr), f.host_port,
                                  to_in_addr(f.guest_addr), f.guest_port) < 0) {
                int err = errno;
                std::string what = fmt::format(
                    "virtio-net {}: cannot forward {} {}:{} to the guest: {}", name_,
                    f.udp ? "udp" : "tcp", format_ipv4(f.host_addr), f.host_port,
                    err ? std::strerror(err) : "the address is taken or not this host's");
                slirp_cleanup(slirp_);
                throw std::runtime_error(what);
            }
        }
        vm_.events.add_source(*this);
    }

    ~UserBackend() override {
        vm_.events.remove_source(*this);
        slirp_cleanup(slirp_);
        for (auto& [fd, events] : watched_)
            vm_.events.remove(fd);
    }

    void send(std::span<const uint8_t> frame) override {
        slirp_input(slirp_, frame.data(), static_cast<int>(frame.size()));
        deliver();
    }

    size_t receive(std::span<uint8_t> buf) override {
        while (!queue_.empty()) {
            std::vector<uint8_t> frame = std::move(queue_.front());
            queue_.pop_front();
            queued_bytes_ -= frame.size();
            if (frame.size() > buf.size()) continue;
            std::memcpy(buf.data(), frame.data(), frame.size());
            return frame.size();
        }
        return 0;
    }

    void notify_frames(std::function<void()> on_frames) override {
        on_frames_ = std::move(on_frames);
    }

    int prepare() override {
        uint32_t timeout = UINT32_MAX;
        polled_.clear();
        slirp_pollfds_fill(slirp_, &timeout, add_poll, this);
        std::map<int, uint32_t> wanted;
        for (const Polled& p : polled_)
            wanted[p.fd] |= p.events;
        for (auto it = watched_.begin(); it != watched_.end();) {
            if (wanted.contains(it->first)) {
                ++it;
                continue;
            }
            vm_.events.remove(it->first);
            it = watched_.erase(it);
        }
        for (auto [fd, events] : wanted) {
            auto it = watched_.find(fd);
            if (it != watched_.end() && it->second == events) continue;
            vm_.events.watch(fd, events, [this, fd](uint32_t happened) { ready_[fd] |= happened; });
            watched_[fd] = events;
        }
        return timeout == UINT32_MAX ? -1 : static_cast<int>(timeout);
    }

    void finish() override {
        slirp_pollfds_poll(slirp_, 0, get_revents, this);
        ready_.clear();
        deliver();
    }

private:
    struct Polled {
        int fd;
        uint32_t events;
    };
    struct Timer {
        UserBackend* self;
        SlirpTimerId id;
        void* cb_opaque;
        vmm::TimerQueue::Id scheduled = 0;
    };

    // Hands waiting frames to the device while it listens; not again from inside itself.
    void deliver() {
        if (delivering_ || !on_frames_ || queue_.empty()) return;
        delivering_ = true;
        auto on_frames = on_frames_; // the device may stop listening from inside
        on_frames();
        delivering_ = false;
    }

    static UserBackend& self(void* opaque) { return *static_cast<UserBackend*>(opaque); }

    static ssize_t send_packet(const void* buf, size_t len, void* opaque) {
        UserBackend& s = self(opaque);
        if (s.queued_bytes_ + len <= kQueueBytesMax) {
            auto bytes = static_cast<const uint8_t*>(buf);
            s.queue_.emplace_back(bytes, bytes + len);
            s.queued_bytes_ += len;
        }
        s.deliver();
        return static_cast<ssize_t>(len);
    }
    static void guest_error(const char* msg, void* opaque) {
        UserBackend& s = self(opaque);
        if (s.guest_errors_++ < kGuestErrorsShown)
            fmt::print(stderr, "vmcompose: virtio-net {}: user network: guest error: {}\n", s.name_,
                       msg);
    }
    static int64_t clock_get_ns(void* opaque) {
        return static_cast<int64_t>(self(opaque).vm_.clock.now_ns());
    }
    static void* timer_new_opaque(SlirpTimerId id, void* cb_opaque, void* opaque) {
        return new Timer{&self(opaque), id, cb_opaque};
    }
    static void timer_free(void* timer, void*) {
        auto* t = static_cast<Timer*>(timer);
        if (t->scheduled) t->self->vm_.timers.cancel(t->scheduled);
        delete t;
    }
    static void timer_mod(void* timer, int64_t expire_ms, void*) {
        auto* t = static_cast<Timer*>(timer);
        auto& timers = t->self->vm_.timers;
        if (t->scheduled) timers.cancel(t->scheduled);
        uint64_t deadline = expire_ms > 0 ? static_cast<uint64_t>(expire_ms) * 1'000'000 : 0;
        t->scheduled = timers.schedule(deadline, [t] {
            t->scheduled = 0;
            slirp_handle_timer(t->self->slirp_, t->id, t->cb_opaque);
            t->self->deliver();
        });
    }
    // Sockets come and go through slirp_pollfds_fill; a closed one leaves the watches now, so
    // its number can come back as a new socket.
    static void register_poll_fd(int, void*) {}
    static void unregister_poll_fd(int fd, void* opaque) {
        UserBackend& s = self(opaque);
        if (s.watched_.erase(fd)) s.vm_.events.remove(fd);
    }
    // Another thread would be woken here; on the VM thread the next poll sees the change.
    static void notify(void*) {}
    static void init_completed(Slirp*, void*) {}
    static int add_poll(int fd, int events, void* opaque) {
        UserBackend& s = self(opaque);
        s.polled_.push_back({fd, to_epoll(events)});
        return static_cast<int>(s.polled_.size() - 1);
    }
    static int get_revents(int idx, void* opaque) {
        UserBackend& s = self(opaque);
        if (idx < 0 || static_cast<size_t>(idx) >= s.polled_.size()) return 0;
        auto it = s.ready_.find(s.polled_[static_cast<size_t>(idx)].fd);
        return it == s.ready_.end() ? 0 : to_slirp(it->second);
    }

    static constexpr SlirpCb kCallbacks = {
        .send_packet = send_packet,
        .guest_error = guest_error,
        .clock_get_ns = clock_get_ns,
        .timer_new = nullptr,
        .timer_free = timer_free,
        .timer_mod = timer_mod,
        .register_poll_fd = register_poll_fd,
        .unregister_poll_fd = unregister_poll_fd,
        .notify = notify,
        .init_completed = init_completed,
        .timer_new_opaque = timer_new_opaque,
    };

    std::string name_;
    vmm::Vm& vm_;
    Slirp* slirp_ = nullptr;
    std::deque<std::vector<uint8_t>> queue_;
    size_t queued_bytes_ = 0;
    std::function<void()> on_frames_;
    bool delivering_ = false;
    unsigned guest_errors_ = 0;
    std::vector<Polled> polled_;      // this wait's descriptors, by slirp's index
    std::map<int, uint32_t> watched_; // what the event loop watches for, per descriptor
    std::map<int, uint32_t> ready_;   // what happened in this wait
};
} // namespace

std::unique_ptr<Backend> make_user_backend(const std::string& device_name,
                                           const UserNetwork& network, vmm::Vm& vm) {
    return std::make_unique<UserBackend>(device_name, network, vm);
}

} // namespace vmc::devices::virtio_net
