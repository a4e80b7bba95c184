// --timeout: ends the run with ExitReason::Timeout after the given host
// time, unless the run ends first (the destructor stops the timer thread).
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

namespace vmc::vmm {

class Vm;

class Deadline {
public:
    Deadline(double seconds, Vm& vm); // seconds <= 0: none
    ~Deadline();
    Deadline(const Deadline&) = delete;
    Deadline& operator=(const Deadline&) = delete;

private:
    std::mutex mutex_;
    std::condition_variable done_cv_;
    bool done_ = false;
    std::thread thread_;
};

} // namespace vmc::vmm
