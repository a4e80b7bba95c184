// Console backends, shared by every device that has a console (ns16550,
// virtio-console). Spec syntax: `stdio`, `file:PATH`, `unix:PATH`, `null`.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>

namespace vmc::vmm {

class EventLoop;
class VmControl;

class Console {
public:
    virtual ~Console() = default;
    virtual void write(std::span<const uint8_t> bytes) = 0;
    // Called from the event loop with bytes the user typed / the peer sent.
    void set_input_handler(std::function<void(std::span<const uint8_t>)> handler) {
        on_input_ = std::move(handler);
    }

protected:
    void deliver(std::span<const uint8_t> bytes) {
        if (on_input_) on_input_(bytes);
    }

private:
    std::function<void(std::span<const uint8_t>)> on_input_;
};

// Throws std::runtime_error with a message that names `spec` on failure.
std::unique_ptr<Console> open_console(std::string_view spec, EventLoop& events, VmControl& control);

} // namespace vmc::vmm
