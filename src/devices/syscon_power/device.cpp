// syscon-power: runtime device. 32-bit registers that read back what was
// written; a write that sets an action's masked bits to its value powers
// the machine off (exit status 0) or asks for a reset (the machine's
// on-reset policy then applies).
#include <algorithm>
#include <vector>

#include "devices/syscon_power/kind.hpp"
#include "devices/syscon_power/syscon_power_config.hpp"
#include "vmm/vm.hpp"

namespace vmc::devices::syscon_power {

namespace {

bool triggers(const std::optional<Action>& action, uint64_t offset, uint32_t value) {
    return action && offset == action->offset &&
           (value & action->mask) == (action->value & action->mask);
}

class SysconPower final : public vmm::Device {
public:
    SysconPower(std::string name, const Config& config, uint64_t size, vmm::VmControl& control)
        : vmm::Device(std::move(name)), config_(config), registers_(size / 4), control_(control) {}

    uint64_t mmio_read(uint64_t offset, unsigned size) override {
        if (size != 4 || offset % 4 != 0 || offset / 4 >= registers_.size()) return 0;
        return registers_[offset / 4];
    }
    void mmio_write(uint64_t offset, uint64_t value, unsigned size) override {
        if (size != 4 || offset % 4 != 0 || offset / 4 >= registers_.size()) return;
        uint32_t word = static_cast<uint32_t>(value);
        registers_[offset / 4] = word;
        if (triggers(config_.poweroff, offset, word))
            control_.request_stop(vmm::ExitReason::PowerOff, "guest powered off");
        else if (triggers(config_.reboot, offset, word))
            control_.request_reset();
    }
    void reset() override { std::fill(registers_.begin(), registers_.end(), 0); }

private:
    Config config_;
    std::vector<uint32_t> registers_;
    vmm::VmControl& control_;
};

} // namespace

std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm) {
    return std::make_unique<SysconPower>(device.name, config_of<Config>(device), device.size,
                                         vm.control);
}

} // namespace vmc::devices::syscon_power
