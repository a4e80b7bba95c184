#include "vmm/device_trace.hpp"

#include <fmt/format.h>

namespace vmc::vmm {

DeviceTrace::DeviceTrace(Vm& vm, std::FILE* out, bool mmio, bool irq) : vm_(vm), out_(out) {
    if (mmio) vm_.bus.set_observer(this);
    if (irq) {
        for (const auto& d : vm_.machine.devices)
            if (d.irq) source_names_[d.irq->source] = d.name;
        vm_.irq.set_observer(this);
        controller_ = vm_.interrupt_ack;
        if (controller_) vm_.interrupt_ack = this;
    }
}

DeviceTrace::~DeviceTrace() {
    vm_.bus.set_observer(nullptr);
    vm_.irq.set_observer(nullptr);
    if (controller_) vm_.interrupt_ack = controller_;
}

void DeviceTrace::stamp() {
    uint64_t ns = vm_.clock.now_ns();
    fmt::print(out_, "{:6}.{:06} cpu{} ", ns / 1000000000, ns / 1000 % 1000000, vm_.current_cpu);
}

void DeviceTrace::mmio_access(const MmioBus::Region* region, uint64_t addr, unsigned size,
                              uint64_t value, bool write) {
    stamp();
    const char* dir = write ? "write" : "read ";
    if (!region)
        fmt::print(out_, "mmio {} {:#011x} size {} = {:#x}  (nothing mapped)\n", dir, addr, size,
                   value);
    else
        fmt::print(out_, "mmio {} {:#011x} size {} = {:#x}  {}+{:#x}\n", dir, addr, size, value,
                   region->name, addr - region->base);
}

void DeviceTrace::set_irq(uint32_t source, bool level) {
    auto [it, first] = levels_.try_emplace(source, !level);
    if (!first && it->second == level) return; // a level device re-asserting: not news
    it->second = level;
    stamp();
    auto name = source_names_.find(source);
    fmt::print(out_, "irq  source {} {}  {}\n", source, level ? "raised" : "lowered",
               name == source_names_.end() ? std::string() : name->second);
}

uint32_t DeviceTrace::acknowledge(unsigned cpu) {
    uint32_t vector = controller_->acknowledge(cpu);
    stamp();
    fmt::print(out_, "irq  cpu{} takes vector {}\n", cpu, vector);
    return vector;
}

} // namespace vmc::vmm
