// A virtio-net backend on a descriptor that carries one frame per read and
// write behind a kNetHeaderSize virtio-net header: a tap opened with
// IFF_VNET_HDR (or, in tests, a socket pair). The tap's own queue holds the
// frames the guest has no buffers for.
#include <sys/uio.h>
#include <unistd.h>

#include "devices/virtio_net/net_device.hpp"
#include "vmm/event_loop.hpp"

namespace vmc::devices::virtio_net {

namespace {
class FdBackend final : public Backend {
public:
    FdBackend(vmm::EventLoop& events, int fd) : events_(events), fd_(fd) {}
    ~FdBackend() override {
        notify_frames(nullptr);
        ::close(fd_);
    }

    void send(std::span<const uint8_t> frame) override {
        uint8_t header[kNetHeaderSize] = {};
        iovec parts[2] = {{header, sizeof header},
                          {const_cast<uint8_t*>(frame.data()), frame.size()}};
        // A full tap queue drops the frame.
        [[maybe_unused]] ssize_t sent = ::writev(fd_, parts, 2);
    }

    size_t receive(std::span<uint8_t> buf) override {
        for (;;) {
            uint8_t header[kNetHeaderSize];
            iovec parts[2] = {{header, sizeof header}, {buf.data(), buf.size()}};
            ssize_t got = ::readv(fd_, parts, 2);
            if (got < 0) return 0; // nothing waiting (EAGAIN)
            // A runt without a whole header carries no frame: skip it.
            if (got > static_cast<ssize_t>(kNetHeaderSize))
                return static_cast<size_t>(got) - kNetHeaderSize;
            if (got == 0) return 0;
        }
    }

    void notify_frames(std::function<void()> on_frames) override {
        if (on_frames) {
            events_.add_reader(fd_, std::move(on_frames));
            watching_ = true;
        } else if (watching_) {
            events_.remove(fd_);
            watching_ = false;
        }
    }

private:
    vmm::EventLoop& events_;
    int fd_;
    bool watching_ = false;
};
} // namespace

std::unique_ptr<Backend> make_fd_backend(vmm::EventLoop& events, int frame_fd) {
    return std::make_unique<FdBackend>(events, frame_fd);
}

} // namespace vmc::devices::virtio_net
