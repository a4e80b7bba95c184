#include "vmm/deadline.hpp"

#include <chrono>
#include <fmt/format.h>

#include "vmm/vm.hpp"

namespace vmc::vmm {

Deadline::Deadline(double seconds, Vm& vm) {
    if (seconds <= 0) return;
    thread_ = std::thread([this, seconds, &vm] {
        std::unique_lock lock(mutex_);
        auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        if (!done_cv_.wait_until(lock, deadline, [this] { return done_; })) {
            vm.control.request_stop(ExitReason::Timeout,
                                    fmt::format("timeout after {} s", seconds));
            vm.events.wake();
        }
    });
}

Deadline::~Deadline() {
    {
        std::lock_guard lock(mutex_);
        done_ = true;
    }
    done_cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

} // namespace vmc::vmm
