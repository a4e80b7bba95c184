// The host side of a virtio-net device: where the guest's Ethernet frames go
// and where frames for the guest come from. The device model sees only this
// interface; a tap (or any descriptor carrying one frame per read/write) and
// the user-mode network stack implement it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

namespace vmc::devices::virtio_net {

class Backend {
public:
    virtual ~Backend() = default;
    // Takes one frame from the guest. A frame the network cannot take now is
    // dropped, as a congested link would drop it.
    virtual void send(std::span<const uint8_t> frame) = 0;
    // Copies the next frame for the guest into `buf` and returns its length;
    // 0 when none is waiting. A frame longer than `buf` is dropped.
    virtual size_t receive(std::span<uint8_t> buf) = 0;
    // While set, `on_frames` runs (on the VM thread) when frames wait for the
    // guest. Cleared (null) while the guest has no receive buffers: frames
    // then wait in the backend, within its own limits.
    virtual void notify_frames(std::function<void()> on_frames) = 0;
};

} // namespace vmc::devices::virtio_net
