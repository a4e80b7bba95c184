// Interrupt wiring. A device drives an IrqLine; the line names an MPIC
// source. The IrqRouter forwards source levels to whichever interrupt
// controller the engine uses: the userspace MPIC device, or the in-kernel
// MPIC under KVM. Devices never know which.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace vmc::vmm {

class IrqSink {
public:
    virtual ~IrqSink() = default;
    virtual void set_irq(uint32_t source, bool level) = 0;
};

class IrqRouter {
public:
    void connect(IrqSink* sink) { sink_ = sink; }
    // Sees every level a device drives, before the controller does (`--trace irq`).
    void set_observer(IrqSink* observer) { observer_ = observer; }
    void set(uint32_t source, bool level) {
        if (source < lines_.size()) {
            LineState& line = lines_[source];
            if (level && !line.level) ++line.raised;
            line.level = level;
        }
        if (observer_) observer_->set_irq(source, level);
        if (sink_) sink_->set_irq(source, level);
    }

    // What devices last drove a source to, and how often it went high (the
    // monitor's `info irq`). Sources from kTrackedSources on are not recorded.
    struct LineState {
        bool level = false;
        uint64_t raised = 0;
    };
    static constexpr uint32_t kTrackedSources = 1024;
    LineState line(uint32_t source) const {
        return source < lines_.size() ? lines_[source] : LineState{};
    }

private:
    std::array<LineState, kTrackedSources> lines_{};
    IrqSink* sink_ = nullptr;
    IrqSink* observer_ = nullptr;
};

class IrqLine {
public:
    IrqLine() = default;
    IrqLine(IrqRouter* router, uint32_t source) : router_(router), source_(source) {}
    void set(bool level) {
        if (router_) router_->set(source_, level);
    }
    // Edge-triggered sources: one rising edge.
    void pulse() {
        set(true);
        set(false);
    }
    uint32_t source() const { return source_; }
    bool connected() const { return router_ != nullptr; }

private:
    IrqRouter* router_ = nullptr;
    uint32_t source_ = 0;
};

// The interrupt inputs of one vCPU. The interrupt controller sets them; the
// engine samples them at block boundaries and wakes a waiting vCPU.
struct CpuInterruptInputs {
    std::atomic<bool> external{false};
    std::atomic<bool> critical{false};
    std::atomic<bool> machine_check{false};
};

// Core-interrupt (EPR) mode: when a vCPU takes an external interrupt it asks
// the interrupt controller for the vector, which the CPU puts in SPR EPR.
class InterruptAcknowledge {
public:
    virtual ~InterruptAcknowledge() = default;
    virtual uint32_t acknowledge(unsigned cpu) = 0;
};

} // namespace vmc::vmm
