#include "debug/stats_reporter.hpp"

#include <csignal>
#include <cstdio>
#include <sys/signalfd.h>
#include <unistd.h>

#include "debug/stats.hpp"
#include "debug/target.hpp"

namespace vmc::debug {

StatsReporter::StatsReporter(const std::string& format, vmm::Vm& vm, vmm::Engine& engine)
    : format_(format), vm_(vm), target_(engine.debug_target()),
      start_(std::chrono::steady_clock::now()) {
    if (format_.empty()) return;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    signal_fd_ = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (signal_fd_ >= 0)
        vm_.events.add_reader(signal_fd_, [this] {
            signalfd_siginfo info;
            while (::read(signal_fd_, &info, sizeof info) == sizeof info) {
            }
            report();
        });
}

StatsReporter::~StatsReporter() {
    if (signal_fd_ < 0) return;
    vm_.events.remove(signal_fd_);
    ::close(signal_fd_);
}

void StatsReporter::report() const {
    if (format_.empty()) return;
    RunStats stats;
    if (target_) target_->collect_stats(stats);
    collect_mmio_stats(vm_, stats);
    stats.host_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::string text = format_ == "json" ? stats_json(stats) + "\n" : stats_text(stats);
    std::fputs(text.c_str(), stderr);
    std::fflush(stderr);
}

} // namespace vmc::debug
