// Timebase, decrementer, fixed-interval timer and watchdog of one core
// (Book III-E chapter 9). Guest time comes from vm.clock; the timebase
// ticks at the model's timebase frequency. Status bits are set when the
// core samples the time (slice start, mfspr of a timer register), which
// is how interrupts end up being checked at block boundaries.
#include "engine/emu/core.hpp"
#include "engine/emu/uint128.hpp"

#include <numeric>

namespace vmc::emu {

namespace {

// floor(ns * freq / 1e9) with num/den = freq/1e9 in lowest terms (see
// Core::set_tb_ratio): the usual case is one 64-bit multiply and divide, as
// guests read the timebase in tight loops.
uint64_t ticks_at(uint64_t ns, uint64_t num, uint64_t den) {
    if (ns <= UINT64_MAX / num) return ns * num / den;
    return static_cast<uint64_t>(U128::product(ns, num) / den);
}

// The first timebase value after `tb` at which TB bit `n` (ISA numbering,
// 0 = most significant) goes from 0 to 1; kNever when that is beyond 2^64.
uint64_t next_rise(uint64_t tb, unsigned n) {
    unsigned w = 63 - n;
    if (w == 63) return tb < (1ull << 63) ? (1ull << 63) : vmm::TimerQueue::kNever;
    uint64_t unit = 1ull << w;
    uint64_t t = ((tb >> w) + 1) << w;
    if (t <= tb) return vmm::TimerQueue::kNever;
    if (((t >> w) & 1) == 0) {
        if (t + unit < t) return vmm::TimerQueue::kNever;
        t += unit;
    }
    return t;
}

unsigned fit_bit(uint32_t tcr) {
    return (((tcr & tcr::FPEXT) >> 13) << 2) | ((tcr & tcr::FP) >> 24);
}
unsigned wd_bit(uint32_t tcr) {
    return (((tcr & tcr::WPEXT) >> 17) << 2) | ((tcr & tcr::WP) >> 30);
}

} // namespace

void Core::set_tb_ratio(uint64_t freq) {
    if (freq == 0) freq = 1;
    uint64_t g = std::gcd(freq, uint64_t{1'000'000'000});
    tb_num_ = freq / g;
    tb_den_ = 1'000'000'000 / g;
}

uint64_t Core::ticks() const {
    return ticks_at(shared.vm.clock.now_ns(), tb_num_, tb_den_);
}

uint64_t Core::timebase() const {
    return ticks() + static_cast<uint64_t>(tb_offset_);
}

void Core::reset_timers(bool keep_timebase) {
    dec_running_ = false;
    dec_stopped_value_ = 0;
    if (!keep_timebase) tb_offset_ = -static_cast<int64_t>(ticks());
    schedule_fit_wd(timebase());
}

void Core::set_timebase(uint64_t value) {
    update_timers(); // events due before the write still happen
    const uint64_t old = timebase();
    tb_offset_ = static_cast<int64_t>(value - ticks());
    // Book E timers (as the PPC440 and A2 manuals spell out): a write that
    // turns the selected bit from 0 to 1 is a transition like any other.
    auto rises = [&](unsigned n) {
        return ((old >> (63 - n)) & 1) == 0 && ((value >> (63 - n)) & 1);
    };
    const uint32_t tsr_before = s.tsr;
    if (rises(fit_bit(s.tcr))) fit_event();
    if (rises(wd_bit(s.tcr))) watchdog_timeout();
    schedule_fit_wd(value);
    if (s.tsr != tsr_before) end_block(); // the new status may be an enabled interrupt
}

void Core::share_timebase(const Core& other) {
    tb_offset_ = other.tb_offset_;
    schedule_fit_wd(timebase());
}

uint64_t Core::tick_to_ns(uint64_t tick) const {
    uint64_t freq = shared.vm.machine.cpu.timebase_frequency;
    const U128 ns = (U128::product(tick, 1'000'000'000u) + (freq - 1)) / freq;
    return ns > vmm::TimerQueue::kNever ? vmm::TimerQueue::kNever : static_cast<uint64_t>(ns);
}

uint32_t Core::dec() const {
    if (!dec_running_) return dec_stopped_value_;
    uint64_t now = ticks();
    return now >= dec_zero_tick_ ? 0 : static_cast<uint32_t>(dec_zero_tick_ - now);
}

void Core::set_dec(uint32_t value) {
    // Writing zero stops the decrementer without an exception (it never passes 1 -> 0).
    dec_running_ = value != 0;
    dec_stopped_value_ = value;
    if (dec_running_) dec_zero_tick_ = ticks() + value;
}

void Core::write_tcr(uint32_t value) {
    s.tcr = value;
    schedule_fit_wd(timebase());
    end_block(); // a newly enabled timer interrupt may already be pending
}

void Core::schedule_fit_wd(uint64_t now_tb) {
    next_fit_tb_ = next_rise(now_tb, fit_bit(s.tcr));
    next_wd_tb_ = next_rise(now_tb, wd_bit(s.tcr));
}

void Core::fit_event() {
    s.tsr |= tsr::FIS;
}

void Core::watchdog_timeout() {
    // First timeout arms ENW, the second raises the interrupt, the third resets.
    if (!(s.tsr & tsr::ENW)) {
        s.tsr |= tsr::ENW;
    } else if (!(s.tsr & tsr::WIS)) {
        s.tsr |= tsr::WIS;
    } else if (s.tcr & tcr::WRC) {
        s.tsr = (s.tsr & ~tsr::WRS) | (s.tcr & tcr::WRC);
        shared.vm.control.request_reset();
    }
}

void Core::update_timers() {
    uint64_t now = ticks();
    if (dec_running_ && now >= dec_zero_tick_) {
        s.tsr |= tsr::DIS;
        if ((s.tcr & tcr::ARE) && s.decar != 0) {
            uint64_t periods = (now - dec_zero_tick_) / s.decar + 1;
            dec_zero_tick_ += periods * s.decar;
        } else {
            dec_running_ = false;
            dec_stopped_value_ = 0;
        }
    }
    uint64_t tb = now + static_cast<uint64_t>(tb_offset_);
    if (tb >= next_fit_tb_) {
        fit_event();
        next_fit_tb_ = next_rise(tb, fit_bit(s.tcr));
    }
    if (tb >= next_wd_tb_) {
        watchdog_timeout();
        next_wd_tb_ = next_rise(tb, wd_bit(s.tcr));
    }
}

uint64_t Core::next_timer_ns() const {
    uint64_t tick = vmm::TimerQueue::kNever;
    if (dec_running_) tick = dec_zero_tick_;
    // FIT and watchdog events are time-base values: ticks = tb - offset.
    auto tb_tick = [&](uint64_t tb) {
        return tb == vmm::TimerQueue::kNever ? tb : tb - static_cast<uint64_t>(tb_offset_);
    };
    if (s.tcr & tcr::FIE) tick = std::min(tick, tb_tick(next_fit_tb_));
    if (s.tcr & (tcr::WIE | tcr::WRC)) tick = std::min(tick, tb_tick(next_wd_tb_));
    return tick == vmm::TimerQueue::kNever ? tick : tick_to_ns(tick);
}

} // namespace vmc::emu
