// A first-come, first-served mutex for the stand-in kernel's big lock: vCPU
// threads give it up after every quantum of guest code, and a plain
// std::mutex would let the releasing thread take it straight back, starving
// the other vCPUs and the ioctls (KVM_IRQ_LINE) waiting for it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace vmc::kvm::test {

class TicketMutex {
public:
    void lock() {
        std::unique_lock guard(mutex_);
        const uint64_t ticket = next_++;
        turn_.wait(guard, [&] { return serving_ == ticket; });
    }
    void unlock() {
        {
            std::lock_guard guard(mutex_);
            ++serving_;
        }
        turn_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable turn_;
    uint64_t next_ = 0, serving_ = 0;
};

} // namespace vmc::kvm::test
