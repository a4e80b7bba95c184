// Console backends, shared by every device that has a console (ns16550,
// virtio-console). Spec syntax: `stdio`, `file:PATH`, `unix:PATH`, `null`;
// in a machine file also {backend: SPEC, log: FILE, wait: true|false}.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace vmc::vmm {

class EventLoop;
class VmControl;
class MonitorPort;

class Console {
public:
    virtual ~Console() = default;
    virtual void write(std::span<const uint8_t> bytes) = 0;
    // Called from the event loop with bytes the user typed / the peer sent.
    void set_input_handler(std::function<void(std::span<const uint8_t>)> handler) {
        on_input_ = std::move(handler);
    }
    // Called when the user sends a line break (Ctrl-A b on the terminal).
    void set_break_handler(std::function<void()> handler) { on_break_ = std::move(handler); }

protected:
    void deliver(std::span<const uint8_t> bytes) {
        if (on_input_) on_input_(bytes);
    }
    void deliver_break() {
        if (on_break_) on_break_();
    }

private:
    std::function<void(std::span<const uint8_t>)> on_input_;
    std::function<void()> on_break_;
};

// A device's `console:` setting.
struct ConsoleSpec {
    std::string backend = "null"; // stdio, null, file:PATH, unix:PATH
    std::string log;              // non-empty: a copy of the guest's output goes to this file too
    bool wait = false;            // unix: do not start the VM until a client connects
};

// What a console backend may reach besides its device.
struct ConsoleContext {
    EventLoop& events;
    VmControl& control;
    // The monitor Ctrl-A c opens on the terminal (read when the key is typed,
    // so it may be set after the console opens); null: none.
    MonitorPort* const* monitor = nullptr;
};

// Throws std::runtime_error with a message that names the spec on failure.
std::unique_ptr<Console> open_console(const ConsoleSpec& spec, const ConsoleContext& context);
std::unique_ptr<Console> open_console(std::string_view spec, EventLoop& events, VmControl& control);

} // namespace vmc::vmm
