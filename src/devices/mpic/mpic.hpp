// fsl-mpic: an OpenPIC with the Freescale extensions, as Linux's mpic.c
// drives it on QEMU's ppce500 board. The register map is in device.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "devices/mpic/mpic_config.hpp"
#include "vmm/clock.hpp"
#include "vmm/device.hpp"
#include "vmm/irq.hpp"

namespace vmc::vmm {
class Vm;
}

namespace vmc::devices::mpic {

class Mpic final : public vmm::Device, public vmm::IrqSink, public vmm::InterruptAcknowledge {
public:
    static constexpr unsigned kIpis = 4;
    static constexpr unsigned kTimers = 4;

    Mpic(std::string name, const Config& config, vmm::Vm& vm);
    ~Mpic() override;

    uint64_t mmio_read(uint64_t offset, unsigned size) override;
    void mmio_write(uint64_t offset, uint64_t value, unsigned size) override;
    void reset() override;
    void set_irq(uint32_t source, bool level) override;
    uint32_t acknowledge(unsigned cpu) override;

private:
    struct Source {
        uint32_t vpr = 0;
        uint32_t dest = 0;
        bool line = false; // current input level (external/internal sources)
        bool pending = false;
        uint32_t ipi_pending_cpus = 0;
        uint32_t ilr = 0; // MPIC 4.x interrupt level register: which output
    };
    struct Cpu {
        uint32_t task_priority = 15;
        std::vector<unsigned> in_service;
    };
    struct Timer {
        uint32_t base = 0x80000000; // count inhibited at reset
        uint32_t held = 0;          // GTCCR while inhibited
        bool toggle = false;        // GTCCR bit 31: flips at every reload
        uint64_t start_ns = 0;      // when the count was last at the base count
        vmm::TimerQueue::Id event = 0;
    };

    enum class Output { Normal, Critical, MachineCheck };
    uint32_t critical_cpus(const Source& s) const;
    Output output_of(const Source& s) const;
    uint32_t direct_output_cpus(const Source& s) const;
    bool version_42() const { return version_42_; }
    bool level_triggered(unsigned index) const;
    bool is_pending_for(unsigned index, unsigned cpu) const;
    int highest_pending(unsigned cpu) const;
    int in_service_priority(unsigned cpu) const;
    void update_outputs();
    uint32_t iack(unsigned cpu);
    void eoi(unsigned cpu);
    uint64_t timer_period_ns(unsigned n) const;
    uint32_t current_count(unsigned n) const;
    void schedule_timer(unsigned n);
    uint32_t read_timer(unsigned n, uint64_t reg);
    void write_timer(unsigned n, uint64_t reg, uint32_t value);
    void write_vpr(unsigned index, uint32_t value);
    uint32_t read_cpu_reg(unsigned cpu, uint64_t reg);
    void write_cpu_reg(unsigned cpu, uint64_t reg, uint32_t value);
    static uint32_t priority(const Source& s) { return (s.vpr >> 16) & 0xf; }
    uint32_t cpu_mask() const { return cpus_ >= 32 ? 0xffffffffu : (1u << cpus_) - 1; }
    unsigned ipi_index(unsigned n) const { return sources_count_ + n; }
    unsigned timer_index(unsigned n) const { return sources_count_ + kIpis + n; }

    Config config_;
    // config_.version is "4.2": read on every interrupt arbitration, so not a string compare.
    bool version_42_;
    vmm::Vm& vm_;
    unsigned sources_count_;
    unsigned timer_count_; // global timers 0 .. n-1 exist (`timers:`); the rest read as zero
    unsigned cpus_;
    uint32_t timer_frequency_;
    std::vector<Source> sources_;
    std::vector<Cpu> cpu_;
    Timer timers_[kTimers];
    uint32_t gcr_ = 0;
    uint32_t spurious_ = 0xffff;
    uint32_t processor_init_ = 0;
};

} // namespace vmc::devices::mpic
