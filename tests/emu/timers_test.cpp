// Decrementer, doorbells, wait, and decoded-code invalidation.
#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace vmc::emu;
using namespace vmc::emu::test;

namespace {
constexpr uint32_t kIvpr = 0x00100000;
void set_vectors(Core& c) {
    c.s.ivpr = kIvpr;
    for (unsigned n = 0; n < c.s.ivor.size(); ++n)
        c.s.ivor[n] = 0x100 + 0x20 * n;
}
uint32_t vector(Ivor v) {
    return kIvpr + 0x100 + 0x20 * static_cast<unsigned>(v);
}
} // namespace

TEST_CASE("decrementer counts guest time and interrupts at zero when enabled", "[emu][timers]") {
    if (!have_assembler()) return;
    TestVm t;
    t.load("li r3,1000\nmtdec r3\nlis r4,0x0400\nmttcr r4\nwrteei 1\n1: b 1b");
    Core& c = t.cpu();
    set_vectors(c);
    c.run(4); // through mtdec, lis, mttcr
    CHECK((c.s.tcr & tcr::DIE) != 0);
    uint32_t before = c.dec();
    CHECK(before <= 1000);
    // 400 MHz timebase: 1000 ticks = 2.5 us of guest time.
    t.vm->clock.advance(1000);
    c.update_timers();
    CHECK(c.dec() < before);
    t.vm->clock.advance(5000);
    REQUIRE(t.run_to(vector(Ivor::Decrementer)));
    CHECK((c.s.tsr & tsr::DIS) != 0);
    CHECK(c.dec() == 0);
    CHECK(c.s.srr1 & msr::EE);
    c.write_tsr_clear(tsr::DIS);
    CHECK((c.s.tsr & tsr::DIS) == 0);
}

TEST_CASE("decrementer auto-reload from DECAR", "[emu][timers]") {
    TestVm t;
    Core& c = t.cpu();
    c.s.tcr = tcr::ARE;
    c.s.decar = 400;
    c.set_dec(400);
    t.vm->clock.advance(1100); // 440 ticks: one expiry, then reloaded
    c.update_timers();
    CHECK((c.s.tsr & tsr::DIS) != 0);
    CHECK(c.dec() == 360);
}

TEST_CASE("wait sleeps until the decrementer wakes the core; SRR0 is after the wait",
          "[emu][timers]") {
    if (!have_assembler()) return;
    TestVm t;
    uint32_t end = t.load("li r3,400\nmtdec r3\nlis r4,0x0400\nmttcr r4\nwrteei 1\nwait\nli r5,1");
    Core& c = t.cpu();
    set_vectors(c);
    t.write32(vector(Ivor::Decrementer), 0x4c000064); // rfi (DIS stays set: clear it below)
    REQUIRE(t.run_to(TestVm::kCodeBase + 24));
    CHECK(c.waiting);
    CHECK(!c.has_enabled_interrupt());
    uint64_t wake = c.next_timer_ns();
    CHECK(wake != vmc::vmm::TimerQueue::kNever);
    t.vm->clock.advance(wake - t.vm->clock.now_ns());
    c.update_timers();
    CHECK(c.has_enabled_interrupt());
    c.waiting = false;
    REQUIRE(t.run_to(vector(Ivor::Decrementer)));
    CHECK(c.s.srr0 == TestVm::kCodeBase + 24);
    c.s.tcr = 0;
    REQUIRE(t.run_to(end));
    CHECK(c.gpr[5] == 1);
}

TEST_CASE("msgsnd to the own PIR raises the doorbell interrupt", "[emu][timers]") {
    if (!have_assembler()) return;
    TestVm t(2);
    t.load("li r8,1\nmsgsnd r8\nli r8,0\nmsgsnd r8\nwrteei 1\nnop");
    Core& c = t.cpu();
    set_vectors(c);
    REQUIRE(t.run_to(vector(Ivor::Doorbell)));
    CHECK(c.s.srr0 == TestVm::kCodeBase + 20); // after wrteei enabled EE
    CHECK(t.cpu(1).doorbell);                  // PIR 1 got the first message
    CHECK(!c.doorbell);                        // taken: cleared
}

TEST_CASE("a store into decoded code followed by icbi: the new instruction runs", "[emu][speed]") {
    if (!have_assembler()) return;
    TestVm t;
    // Patch the `li r3,1` below into `li r3,2` (0x38600002), then run it.
    uint32_t end = t.load(R"(
        bl 1f
    1:  mflr r4
        lis r5,0x3860
        ori r5,r5,2
        stw r5,(2f-1b)(r4)
        icbi 0,r4
        isync
    2:  li r3,1)");
    Core& c = t.cpu();
    REQUIRE(t.run_to(end));
    CHECK(c.gpr[3] == 2);
}

TEST_CASE("device DMA into a decoded page drops it", "[emu][speed]") {
    if (!have_assembler()) return;
    TestVm t;
    uint32_t end = t.load("li r3,1");
    Core& c = t.cpu();
    REQUIRE(t.run_to(end));
    CHECK(c.gpr[3] == 1);
    t.vm->ram.write_be(TestVm::kCodeBase, 0x38600007, 4); // li r3,7 through GuestRam
    c.pc = TestVm::kCodeBase;
    REQUIRE(t.run_to(end));
    CHECK(c.gpr[3] == 7);
}

TEST_CASE("every core reads the SoC's one time base", "[emu][timers][smp]") {
    TestVm t(2);
    Core& c0 = t.cpu(0);
    Core& c1 = t.cpu(1);
    CHECK(c0.timebase() == c1.timebase());
    // A core reset later (a vCPU created later, say) counts from its own
    // reset until it takes the SoC's time base again.
    t.vm->clock.advance(1'000'000);
    c1.reset(vmc::vmm::CpuBootState{});
    CHECK(c1.timebase() < c0.timebase());
    c1.share_timebase(c0);
    CHECK(c1.timebase() == c0.timebase());
    // Released from the spin table, a core keeps the count it has had since
    // power-on, which is the SoC's.
    t.vm->clock.advance(1'000'000);
    c1.reset(vmc::vmm::CpuBootState{}, true);
    CHECK(c1.timebase() == c0.timebase());
    // The engine's reset starts every core from the same count.
    t.vm->clock.advance(1'000'000);
    t.engine->reset();
    CHECK(c1.timebase() == c0.timebase());
}

TEST_CASE("a time-base write does not move the decrementer", "[emu][timers]") {
    TestVm t;
    Core& c = t.cpu();
    c.set_dec(1000); // 400 MHz timebase: 2.5 us
    const uint64_t due = t.vm->clock.now_ns() + 2500;
    CHECK(c.next_timer_ns() == due);
    c.set_timebase(c.timebase() + 0x1'0000'0000ull); // forward past the old deadline
    c.update_timers();
    CHECK((c.s.tsr & tsr::DIS) == 0);
    CHECK(c.dec() == 1000);
    c.set_timebase(5); // and back
    CHECK(c.dec() == 1000);
    CHECK(c.next_timer_ns() == due);
    t.vm->clock.advance(2499);
    c.update_timers();
    CHECK((c.s.tsr & tsr::DIS) == 0);
    t.vm->clock.advance(1);
    c.update_timers();
    CHECK((c.s.tsr & tsr::DIS) != 0);
    CHECK(c.dec() == 0);
}

TEST_CASE("a time-base write that sets the selected FIT bit is a FIT event", "[emu][timers]") {
    TestVm t;
    Core& c = t.cpu();
    // FPEXT:FP = 43 selects TB bit 43, the 2^20 bit.
    c.write_tcr((10u << 13) | (3u << 24));
    c.set_timebase(0);
    c.s.tsr = 0;
    c.set_timebase(1ull << 20);
    CHECK((c.s.tsr & tsr::FIS) != 0);
    c.s.tsr = 0;
    c.set_timebase(0); // 1 -> 0: no event
    c.set_timebase((1ull << 20) - 1);
    CHECK((c.s.tsr & tsr::FIS) == 0);
    c.set_timebase(3ull << 20); // 0 -> 1 again, across the 2^21 bit too
    CHECK((c.s.tsr & tsr::FIS) != 0);
}

TEST_CASE("time-base writes that set the watchdog bit count as watchdog time-outs",
          "[emu][timers]") {
    TestVm t;
    Core& c = t.cpu();
    // WPEXT:WP = 43 selects TB bit 43, the 2^20 bit.
    c.write_tcr((10u << 17) | (3u << 30));
    c.set_timebase(0);
    c.s.tsr = 0;
    c.set_timebase(1ull << 20);
    CHECK(c.s.tsr == tsr::ENW);
    c.set_timebase(0);
    CHECK(c.s.tsr == tsr::ENW);
    c.set_timebase(1ull << 20);
    CHECK(c.s.tsr == (tsr::ENW | tsr::WIS));
}
