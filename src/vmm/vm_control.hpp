// How a VM run ends, and how any part of the graph asks for it to end.
#pragma once

#include <atomic>
#include <string>

namespace vmc::vmm {

enum class ExitReason {
    None,
    PowerOff, // guest powered off (gpio-poweroff): exit 0
    Reset,    // guest requested reset and the policy is `exit`
    Fatal,    // guest checkstop / unrecoverable state (register dump printed)
    Timeout,  // --timeout expired
    UserQuit, // Ctrl-A x on the stdio console
    Error,    // VMM error
};

// Process exit status for each reason; documented in README.md.
int exit_status(ExitReason reason);

class VmControl {
public:
    // The first request wins; later ones are ignored.
    void request_stop(ExitReason reason, std::string message = {}) {
        ExitReason expected = ExitReason::None;
        if (reason_.compare_exchange_strong(expected, reason)) message_ = std::move(message);
    }
    // Guest reset request; the run loop applies the machine's on-reset policy.
    void request_reset() { reset_requested_ = true; }
    bool take_reset_request() { return reset_requested_.exchange(false); }

    bool stop_requested() const {
        return reason_.load(std::memory_order_relaxed) != ExitReason::None;
    }
    ExitReason reason() const { return reason_.load(); }
    const std::string& message() const { return message_; }

private:
    std::atomic<ExitReason> reason_{ExitReason::None};
    std::atomic<bool> reset_requested_{false};
    std::string message_;
};

} // namespace vmc::vmm
