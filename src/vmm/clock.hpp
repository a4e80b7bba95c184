// Guest time. In real-time mode guest time follows the host's monotonic
// clock; in instruction-count mode (--icount) the engine advances it by a
// fixed amount per executed instruction, so a run is reproducible.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>

namespace vmc::vmm {

class Clock {
public:
    enum class Mode { RealTime, Instructions };
    explicit Clock(Mode mode = Mode::RealTime)
        : mode_(mode), start_(std::chrono::steady_clock::now()) {}

    Mode mode() const { return mode_; }
    uint64_t now_ns() const {
        if (mode_ == Mode::Instructions) return virtual_ns_;
        return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                         std::chrono::steady_clock::now() - start_)
                                         .count());
    }
    // Instruction-count mode only: move guest time forward.
    void advance(uint64_t ns) { virtual_ns_ += ns; }

private:
    Mode mode_;
    std::chrono::steady_clock::time_point start_;
    uint64_t virtual_ns_ = 0;
};

// One-shot callbacks at guest times, for device timers. The run loop calls
// run_due() and sleeps no longer than next_deadline().
class TimerQueue {
public:
    using Id = uint64_t;
    static constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();

    Id schedule(uint64_t deadline_ns, std::function<void()> fn) {
        Id id = next_id_++;
        timers_.emplace(Key{deadline_ns, id}, std::move(fn));
        return id;
    }
    void cancel(Id id) {
        for (auto it = timers_.begin(); it != timers_.end(); ++it)
            if (it->first.id == id) {
                timers_.erase(it);
                return;
            }
    }
    uint64_t next_deadline() const {
        return timers_.empty() ? kNever : timers_.begin()->first.deadline;
    }
    void run_due(uint64_t now_ns) {
        while (!timers_.empty() && timers_.begin()->first.deadline <= now_ns) {
            auto fn = std::move(timers_.begin()->second);
            timers_.erase(timers_.begin());
            fn();
        }
    }

private:
    struct Key {
        uint64_t deadline;
        Id id;
        bool operator<(const Key& o) const {
            return deadline != o.deadline ? deadline < o.deadline : id < o.id;
        }
    };
    std::map<Key, std::function<void()>> timers_;
    Id next_id_ = 1;
};

} // namespace vmc::vmm
