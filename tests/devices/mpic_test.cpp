// fsl-mpic through its registers, in the order Linux's mpic.c programs it
// (flags MPIC_BIG_ENDIAN | MPIC_SINGLE_DEST_CPU | MPIC_ENABLE_COREINT).
#include <catch2/catch.hpp>

#include "config/device_config.hpp"
#include "vmm/build.hpp"

using namespace vmc;

namespace {

constexpr uint64_t kBase = 0xf'e004'0000ull;
constexpr uint32_t kMasked = 0x80000000, kLevel = 0x00400000;

model::Machine machine_with_mpic(unsigned cpus, nlohmann::json props) {
    model::Machine m;
    m.cpus = cpus;
    m.max_cpus = cpus;
    m.memory = {0, 1 << 20};
    m.interrupt_controller = "mpic";
    model::Device d;
    d.name = "mpic";
    d.type = "fsl-mpic";
    d.address = kBase;
    d.size = 0x40000;
    d.props = std::move(props);
    m.devices.push_back(config::configured(std::move(d)));
    return m;
}

struct Pic {
    model::Machine machine;
    std::unique_ptr<vmm::Vm> vm;
    explicit Pic(unsigned cpus = 1, vmm::Clock::Mode clock = vmm::Clock::Mode::RealTime,
                 nlohmann::json props = nlohmann::json::object())
        : machine(machine_with_mpic(cpus, std::move(props))) {
        vmm::VmOptions options;
        options.clock = clock;
        vm = vmm::build(machine, options);
    }
    uint32_t r(uint64_t off) {
        uint64_t v = 0;
        REQUIRE(vm->bus.read(kBase + off, 4, v));
        return static_cast<uint32_t>(v);
    }
    void w(uint64_t off, uint32_t v) { REQUIRE(vm->bus.write(kBase + off, 4, v)); }
    void source(unsigned n, uint32_t vpr, uint32_t dest = 1) {
        w(0x10000 + n * 0x20, vpr);
        w(0x10000 + n * 0x20 + 0x10, dest);
    }
    uint32_t iack(unsigned cpu = 0) { return r(0x200a0 + cpu * 0x1000); }
    void eoi(unsigned cpu = 0) { w(0x200b0 + cpu * 0x1000, 0); }
    bool ext(unsigned cpu = 0) { return vm->cpu_inputs[cpu]->external; }
    bool crit(unsigned cpu = 0) { return vm->cpu_inputs[cpu]->critical; }
    // mpic_init: reset, wait for the bit to clear, core-interrupt mode,
    // every source masked with vector = source number, task priority 0.
    void linux_init() {
        w(0x1020, 0x80000000);
        REQUIRE((r(0x1020) & 0x80000000) == 0);
        w(0x1020, r(0x1020) | 0x60000000);
        w(0x10e0, 0xff);
        for (unsigned i = 0; i < 4; ++i)
            w(0x10a0 + i * 0x10, kMasked | (14u << 16) | (251 + i));
        for (unsigned n = 0; n < 256; ++n)
            source(n, kMasked | (8u << 16) | n);
        for (unsigned c = 0; c < vm->cpu_inputs.size(); ++c)
            w(0x20080 + c * 0x1000, 0);
    }
};

} // namespace

TEST_CASE("MPIC identifies itself as QEMU's FSL MPIC 2.0") {
    Pic p(2);
    CHECK(p.r(0x0) == 0x00400402);                         // BRR1: revision 4.2, as QEMU reports
    CHECK(p.r(0x1000) == ((255u << 16) | (1u << 8) | 2u)); // FRR: 256 sources, 2 CPUs, VID 1.2
    CHECK(p.r(0x1080) == 0);                               // VIR
    CHECK(p.r(0x10e0) == 0xffff);                          // spurious vector at reset
    CHECK(p.r(0x10000 + 42 * 0x20) == (kMasked | 0x00800000)); // internal: masked, polarity high
    CHECK(p.r(0x10000 + 42 * 0x20 + 0x10) == 1);               // to CPU 0
    CHECK(p.r(0x20080) == 15);                                 // task priority: everything blocked
    CHECK(p.r(0x21090) == 1);                                  // WHOAMI in CPU 1's block
}

TEST_CASE("the global per-CPU window answers for the CPU doing the access") {
    Pic p(2);
    p.vm->current_cpu = 1;
    CHECK(p.r(0x90) == 1);
    p.w(0x80, 3);
    CHECK(p.r(0x21080) == 3);
    CHECK(p.r(0x20080) == 15);
    p.vm->current_cpu = 0;
    CHECK(p.r(0x90) == 0);
}

TEST_CASE("a level source stays pending until the device lets go; an edge source is taken once") {
    Pic p;
    p.linux_init();
    p.source(1, kLevel | (5u << 16) | 1); // pin 1: level
    p.source(2, (5u << 16) | 2);          // pin 2: edge
    p.vm->irq.set(1, true);
    CHECK(p.ext());
    CHECK(p.iack() == 1);
    CHECK_FALSE(p.ext());                    // in service hides equal priority
    CHECK((p.r(0x10020) & 0x40000000) != 0); // activity
    p.eoi();
    CHECK(p.ext()); // still asserted: again
    CHECK(p.iack() == 1);
    p.vm->irq.set(1, false);
    p.eoi();
    CHECK_FALSE(p.ext());

    p.vm->irq.set(2, true);
    CHECK(p.iack() == 2);
    p.eoi();
    CHECK_FALSE(p.ext()); // the line is still high, but the edge was taken
    p.vm->irq.set(2, false);
    p.vm->irq.set(2, true); // a new edge
    CHECK(p.iack() == 2);
}

TEST_CASE("internal sources are level whatever the sense bit says") {
    Pic p;
    p.linux_init();
    p.source(42, (5u << 16) | 42); // sense bit clear
    CHECK((p.r(0x10000 + 42 * 0x20) & kLevel) == 0);
    p.vm->irq.set(42, true);
    CHECK(p.iack() == 42);
    p.eoi();
    CHECK(p.ext());
    p.vm->irq.set(42, false);
    CHECK_FALSE(p.ext());
}

TEST_CASE("higher priority nests over the one in service; EOI ends the highest first") {
    Pic p;
    p.linux_init();
    p.source(20, (4u << 16) | 20);
    p.source(21, (9u << 16) | 21);
    p.vm->irq.set(20, true);
    CHECK(p.iack() == 20);
    p.vm->irq.set(21, true);
    CHECK(p.ext());
    CHECK(p.iack() == 21);
    p.vm->irq.set(21, false);
    p.eoi();                 // ends 21
    CHECK(p.ext() == false); // 20 is still in service and its line still high
    p.eoi();                 // ends 20
    CHECK(p.ext());          // 20 is level and still asserted
    p.vm->irq.set(20, false);
    CHECK_FALSE(p.ext());
    CHECK(p.iack() == 0xff); // nothing: the spurious vector
}

TEST_CASE("a masked source waits and is delivered when unmasked; task priority filters") {
    Pic p;
    p.linux_init();
    p.source(30, kMasked | (6u << 16) | 30);
    p.vm->irq.set(30, true);
    CHECK_FALSE(p.ext());
    p.w(0x20080, 6);
    p.source(30, (6u << 16) | 30);
    CHECK_FALSE(p.ext()); // priority 6 is not above task priority 6
    p.w(0x20080, 5);
    CHECK(p.ext());
}

TEST_CASE("core-interrupt acknowledge returns the vector with the IACK side effects") {
    Pic p;
    p.linux_init();
    p.source(42, (5u << 16) | 42);
    p.vm->irq.set(42, true);
    REQUIRE(p.vm->interrupt_ack);
    CHECK(p.vm->interrupt_ack->acknowledge(0) == 42);
    CHECK_FALSE(p.ext());
    p.w(0x1020, 0); // leave proxy mode: delivery no longer acknowledges
    p.vm->irq.set(42, false);
    p.eoi();
    p.vm->irq.set(42, true);
    CHECK(p.vm->interrupt_ack->acknowledge(0) == 0);
    CHECK(p.ext());
}

TEST_CASE("IPIs go to every CPU in the dispatch mask, each acknowledging its own") {
    Pic p(3);
    p.linux_init();
    p.w(0x10a0 + 0x10, (14u << 16) | 252); // IPI 1 unmasked
    p.w(0x20050, 0b110);                   // CPU 0 sends IPI 1 to CPUs 1 and 2
    CHECK_FALSE(p.ext(0));
    CHECK(p.ext(1));
    CHECK(p.ext(2));
    CHECK(p.iack(1) == 252);
    CHECK_FALSE(p.ext(1));
    CHECK(p.ext(2));
    p.eoi(1);
    CHECK_FALSE(p.ext(1)); // an IPI is an event, not a level
    CHECK(p.iack(2) == 252);
    p.eoi(2);
    CHECK_FALSE(p.ext(2));
}

TEST_CASE("a source routed to a CPU's critical output ignores mask and priority") {
    Pic p(2);
    p.linux_init();
    p.source(43, kMasked | (1u << 16) | 43, 1u << 29); // CI bit for CPU 1
    p.vm->irq.set(43, true);
    CHECK(p.crit(1));
    CHECK_FALSE(p.crit(0));
    CHECK_FALSE(p.ext(1));
    CHECK(p.iack(1) == 0xff); // not through IACK
    p.vm->irq.set(43, false);
    CHECK_FALSE(p.crit(1));
}

TEST_CASE("global timers count down at timebase/8 on guest time and reload") {
    Pic p(1, vmm::Clock::Mode::Instructions);
    p.linux_init();
    CHECK(p.r(0x10f0) == 50'000'000);       // TFRR
    CHECK((p.r(0x1110) & 0x80000000) != 0); // inhibited at reset
    p.w(0x1120 + 0x40, (7u << 16) | 244);   // timer 1 vector/priority
    p.w(0x1130 + 0x40, 1);
    p.w(0x1110 + 0x40, 1000); // 20 us period, counting
    p.vm->clock.advance(10'000);
    p.vm->timers.run_due(p.vm->clock.now_ns());
    CHECK((p.r(0x1100 + 0x40) & 0x7fffffff) == 500);
    CHECK_FALSE(p.ext());
    p.vm->clock.advance(10'000);
    p.vm->timers.run_due(p.vm->clock.now_ns());
    CHECK(p.ext());
    CHECK(p.iack() == 244);
    p.eoi();
    CHECK((p.r(0x1100 + 0x40) & 0x80000000) != 0); // reached zero once: toggle set
    CHECK_FALSE(p.ext());                          // timers are edge events
    p.vm->clock.advance(20'000);
    p.vm->timers.run_due(p.vm->clock.now_ns());
    CHECK(p.iack() == 244); // reloaded and fired again
    p.eoi();
    CHECK((p.r(0x1100 + 0x40) & 0x80000000) == 0); // toggled twice
    p.vm->clock.advance(5'000);
    p.w(0x1110 + 0x40, 0x80000000 | 1000); // inhibit: the count holds
    CHECK(p.r(0x1100 + 0x40) == 750);
    p.vm->clock.advance(100'000);
    p.vm->timers.run_due(p.vm->clock.now_ns());
    CHECK_FALSE(p.ext());
    CHECK(p.r(0x1100 + 0x40) == 750);
    p.w(0x1110 + 0x40, 1000); // counting again, from the base count
    CHECK(p.r(0x1100 + 0x40) == 1000);
}

TEST_CASE("only the global timers `timers:` asks for exist; the others read as zero") {
    Pic p(1, vmm::Clock::Mode::Instructions, {{"timers", 2}});
    p.linux_init();
    CHECK((p.r(0x1110 + 0x40) & 0x80000000) != 0); // timer 1: inhibited at reset
    p.w(0x1110 + 0x40 * 2, 1000);                  // timer 2 does not exist
    p.w(0x1120 + 0x40 * 2, (7u << 16) | 245);
    CHECK(p.r(0x1110 + 0x40 * 2) == 0);
    CHECK(p.r(0x1120 + 0x40 * 2) == 0);
    p.vm->clock.advance(100'000);
    p.vm->timers.run_due(p.vm->clock.now_ns());
    CHECK_FALSE(p.ext());
}

TEST_CASE("GCR reset returns every source to masked and drops the outputs") {
    Pic p;
    p.linux_init();
    p.source(3, kLevel | (5u << 16) | 3);
    p.vm->irq.set(3, true);
    CHECK(p.ext());
    p.w(0x1020, 0x80000000);
    CHECK_FALSE(p.ext());
    CHECK((p.r(0x10000 + 3 * 0x20) & kMasked) != 0);
    CHECK(p.r(0x1020) == 0);
}

TEST_CASE("MPIC 4.2 routes sources to the critical or machine-check output through ILR") {
    Pic p(2, vmm::Clock::Mode::RealTime, {{"version", "4.2"}});
    CHECK(p.r(0x0) == 0x00400402); // BRR1
    p.linux_init();
    p.source(50, (5u << 16) | 50, 0b10); // to CPU 1
    p.w(0x10000 + 50 * 0x20 + 0x18, 2);  // machine check
    CHECK(p.r(0x10000 + 50 * 0x20 + 0x18) == 2);
    p.vm->irq.set(50, true);
    CHECK(p.vm->cpu_inputs[1]->machine_check);
    CHECK_FALSE(p.ext(1));
    CHECK(p.iack(1) == 0xff);
    p.w(0x10000 + 50 * 0x20 + 0x18, 1); // critical instead
    CHECK_FALSE(p.vm->cpu_inputs[1]->machine_check);
    CHECK(p.crit(1));
    p.w(0x10000 + 50 * 0x20, kMasked | (5u << 16) | 50); // 4.x honours the mask
    CHECK_FALSE(p.crit(1));
    p.w(0x10000 + 50 * 0x20 + 0x18, 0); // back to the normal output
    p.w(0x10000 + 50 * 0x20, (5u << 16) | 50);
    CHECK(p.ext(1));
    CHECK(p.iack(1) == 50);
}

TEST_CASE("MPIC 2.0 has no ILR") {
    Pic p;
    p.w(0x10000 + 50 * 0x20 + 0x18, 2);
    CHECK(p.r(0x10000 + 50 * 0x20 + 0x18) == 0);
}
