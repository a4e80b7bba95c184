// The emulator's debugger interface on a running core: halt, breakpoints
// (hit again on every pass), single step, watchpoints that stop before the
// access, register and memory access, and detach.
#include <catch2/catch.hpp>

#include <functional>

#include "debug/target.hpp"
#include "emu/harness.hpp"

using namespace vmc;
using debug::BreakKind;
using debug::RegisterId;
using debug::Resume;
using debug::StopEvent;
using emu::test::TestVm;

namespace {

struct Stop {
    StopEvent event;
    uint64_t pc = 0, r3 = 0;
};

// Records every stop and answers with the next scripted step.
class ScriptedDebugger : public debug::Debugger {
public:
    std::vector<Stop> stops;
    std::vector<std::function<Resume(debug::Target&)>> script;

    Resume stopped(debug::Target& target, const StopEvent& event) override {
        Stop s{event};
        target.read_register(event.cpu, {RegisterId::Kind::Pc, 0}, s.pc);
        target.read_register(event.cpu, {RegisterId::Kind::Gpr, 3}, s.r3);
        stops.push_back(s);
        if (stops.size() > script.size()) { // nothing left to do: end the run
            vm->control.request_stop(vmm::ExitReason::PowerOff);
            return {};
        }
        return script[stops.size() - 1](target);
    }
    vmm::Vm* vm = nullptr;
};

constexpr const char* kCountingLoop = R"(
    li r3, 0
1:  addi r3, r3, 1
    stw r3, 0x100(0)
    cmpwi r3, 10
    bne 1b
)";

Resume go() {
    return {Resume::How::Continue, 0};
}

} // namespace

TEST_CASE("emu debug: halt before the first instruction, breakpoint hit on every pass, step") {
    if (!emu::test::have_assembler()) return;
    TestVm t;
    uint32_t end = t.load(kCountingLoop);
    const uint32_t base = TestVm::kCodeBase, loop = base + 4;
    debug::Target& target = *t.engine->debug_target();
    ScriptedDebugger d;
    d.vm = t.vm.get();
    d.script = {
        [&](debug::Target& tg) {
            CHECK(tg.insert_breakpoint(BreakKind::Software, loop, 4));
            return go();
        },
        [&](debug::Target&) { return go(); },
        [&](debug::Target& tg) {
            CHECK(tg.remove_breakpoint(BreakKind::Software, loop, 4));
            return Resume{Resume::How::Step, 0};
        },
        [&](debug::Target& tg) {
            CHECK(tg.insert_breakpoint(BreakKind::Hardware, end, 4));
            return go();
        },
    };
    target.attach(d);
    target.request_halt();
    t.engine->run();
    REQUIRE(d.stops.size() == 5);
    CHECK(d.stops[0].event.why == StopEvent::Why::Halted);
    CHECK(d.stops[0].pc == base);
    CHECK(d.stops[1].event.why == StopEvent::Why::Breakpoint);
    CHECK(d.stops[1].pc == loop);
    CHECK(d.stops[1].r3 == 0);
    CHECK(d.stops[2].pc == loop); // resumed from the breakpoint, stopped there on the next pass
    CHECK(d.stops[2].r3 == 1);
    CHECK(d.stops[3].event.why == StopEvent::Why::Step);
    CHECK(d.stops[3].pc == loop + 4);
    CHECK(d.stops[3].r3 == 2);
    CHECK(d.stops[4].pc == end);
    CHECK(d.stops[4].r3 == 10);
    target.detach();
}

TEST_CASE("emu debug: a write watchpoint stops before the store, every time") {
    if (!emu::test::have_assembler()) return;
    TestVm t;
    t.load(kCountingLoop);
    debug::Target& target = *t.engine->debug_target();
    ScriptedDebugger d;
    d.vm = t.vm.get();
    std::vector<uint32_t> memory_at_stop;
    auto record = [&](debug::Target& tg) {
        uint8_t bytes[4] = {};
        CHECK(tg.read_memory(0, 0x100, debug::AddressSpace::Effective, bytes) == 4);
        memory_at_stop.push_back(uint32_t(bytes[0]) << 24 | bytes[1] << 16 | bytes[2] << 8 |
                                 bytes[3]);
        return go();
    };
    d.script = {
        [&](debug::Target& tg) {
            CHECK(tg.insert_breakpoint(BreakKind::WatchWrite, 0x100, 4));
            return go();
        },
        record,
        record,
    };
    target.attach(d);
    target.request_halt();
    t.engine->run();
    REQUIRE(d.stops.size() == 4);
    for (size_t n = 1; n < 4; ++n) {
        CHECK(d.stops[n].event.why == StopEvent::Why::Watchpoint);
        CHECK(d.stops[n].event.data_address == 0x100);
        CHECK(d.stops[n].pc == TestVm::kCodeBase + 8); // the stw
        CHECK(d.stops[n].r3 == n);
    }
    // Stopped before the store: memory still holds the previous pass's value.
    CHECK(memory_at_stop == std::vector<uint32_t>{0, 1});
    target.detach();
}

TEST_CASE("emu debug: registers and memory written at a stop take effect") {
    if (!emu::test::have_assembler()) return;
    TestVm t;
    uint32_t end = t.load(kCountingLoop);
    debug::Target& target = *t.engine->debug_target();
    ScriptedDebugger d;
    d.vm = t.vm.get();
    d.script = {
        [&](debug::Target& tg) {
            tg.insert_breakpoint(BreakKind::Software, end, 4);
            // li r3, 5 instead of li r3, 0: the loop starts counting from 5.
            const uint8_t li_r3_5[] = {0x38, 0x60, 0x00, 0x05};
            CHECK(tg.write_memory(0, TestVm::kCodeBase, debug::AddressSpace::Physical, li_r3_5) ==
                  4);
            CHECK(tg.write_register(0, {RegisterId::Kind::Ctr, 0}, 0x1234));
            return go();
        },
    };
    target.attach(d);
    target.request_halt();
    t.engine->run();
    REQUIRE(d.stops.size() == 2);
    CHECK(d.stops[1].pc == end);
    CHECK(d.stops[1].r3 == 10);
    CHECK(t.cpu().ctr == 0x1234);
    CHECK(t.read32(0x100) == 10);
    uint64_t pa = 0;
    CHECK(target.translate(0, 0x100, pa));
    CHECK(pa == 0x100);
    CHECK_FALSE(target.translate(0, 0x80000000, pa)); // outside TLB1[0]
    uint8_t byte = 0;
    CHECK(target.read_memory(0, 0x80000000, debug::AddressSpace::Effective, {&byte, 1}) == 0);
    target.detach();
}

TEST_CASE("emu debug: SPRs by number, statistics count what ran") {
    if (!emu::test::have_assembler()) return;
    TestVm t;
    uint32_t end = t.load(kCountingLoop);
    debug::Target& target = *t.engine->debug_target();
    CHECK(target.write_register(0, {RegisterId::Kind::Spr, 272}, 0xabcd)); // sprg0
    CHECK(t.cpu().s.sprg[0] == 0xabcd);
    uint64_t pvr = 0;
    CHECK(target.read_register(0, {RegisterId::Kind::Spr, 287}, pvr));
    CHECK(pvr == t.machine.cpu.pvr);
    CHECK_FALSE(target.write_register(0, {RegisterId::Kind::Spr, 287}, 0)); // read-only
    CHECK_FALSE(target.read_register(0, {RegisterId::Kind::Spr, 9999}, pvr));
    REQUIRE(t.run_to(end));
    debug::RunStats stats;
    target.collect_stats(stats);
    REQUIRE(stats.cpus.size() == 1);
    CHECK(stats.cpus[0].instructions >= 1 + 4 * 10);
    CHECK(stats.cpus[0].data_fast + stats.cpus[0].data_slow == 10); // ten stw
    CHECK(stats.code_decodes >= 1);
}
